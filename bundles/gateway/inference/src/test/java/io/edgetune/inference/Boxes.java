package io.edgetune.inference;

import io.edgetune.api.detect.Detection;
import java.util.List;

/** Hand-checked people in vtest.avi (read off rendered frames: x, y, width, height in pixels). */
final class Boxes {

    static final int[][] FRAME_300 = {
        {180, 160, 35, 70}, {243, 157, 32, 66}, {294, 158, 31, 65}, {311, 213, 37, 85}, {577, 160, 27, 75}, {615, 168, 26, 63},
    };
    static final int[][] FRAME_500 = {
        {298, 187, 36, 78}, {600, 268, 40, 105},
    };

    private Boxes() {
    }

    static Detection box(int[] b) {
        return new Detection(4, "Person", 1f, b[0], b[1], b[2], b[3]);
    }

    /** Best IoU of a hand box with any reported person. */
    static float bestIou(int[] hand, List<Detection> found) {
        Detection h = box(hand);
        float best = 0;
        for (Detection d : found) {
            if ("Person".equals(d.label())) {
                best = Math.max(best, d.iou(h));
            }
        }
        return best;
    }
}

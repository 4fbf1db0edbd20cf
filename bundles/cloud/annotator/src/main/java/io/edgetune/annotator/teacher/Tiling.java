package io.edgetune.annotator.teacher;

import io.edgetune.api.motion.Region;
import java.util.ArrayList;
import java.util.List;

/** Overlapping square tiles covering a frame; the last row and column are pulled back inside the frame. */
public final class Tiling {

    private Tiling() {
    }

    public static List<Region> tiles(int frameWidth, int frameHeight, int size, double overlap) {
        int[] xs = starts(frameWidth, size, overlap);
        int[] ys = starts(frameHeight, size, overlap);
        List<Region> out = new ArrayList<>(xs.length * ys.length);
        for (int y : ys) {
            for (int x : xs) {
                out.add(new Region(x, y, Math.min(size, frameWidth), Math.min(size, frameHeight)));
            }
        }
        return out;
    }

    static int[] starts(int length, int size, double overlap) {
        if (size >= length) {
            return new int[] {0};
        }
        int stride = Math.max(1, (int) Math.round(size * (1 - overlap)));
        int n = (int) Math.ceil((length - size) / (double) stride) + 1;
        int[] s = new int[n];
        for (int i = 0; i < n; i++) {
            s[i] = Math.min(i * stride, length - size);
        }
        return s;
    }
}

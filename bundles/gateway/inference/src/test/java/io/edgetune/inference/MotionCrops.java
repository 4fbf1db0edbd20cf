package io.edgetune.inference;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.absdiff;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_RECT;
import static org.bytedeco.opencv.global.opencv_imgproc.RETR_EXTERNAL;
import static org.bytedeco.opencv.global.opencv_imgproc.CHAIN_APPROX_SIMPLE;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_BINARY;
import static org.bytedeco.opencv.global.opencv_imgproc.boundingRect;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.dilate;
import static org.bytedeco.opencv.global.opencv_imgproc.findContours;
import static org.bytedeco.opencv.global.opencv_imgproc.getStructuringElement;
import static org.bytedeco.opencv.global.opencv_imgproc.threshold;

import io.edgetune.api.motion.Region;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Test stand-in for the motion bundle: regions from a plain frame difference
 * (threshold, dilate, one padded square crop per
 * moving blob). Crops may overlap, so the detector's cross-crop merging is exercised too.
 */
final class MotionCrops {

    private MotionCrops() {
    }

    static List<Region> between(byte[] earlier, byte[] later, int w, int h) {
        Mat a = gray(earlier, w, h);
        Mat b = gray(later, w, h);
        Mat diff = new Mat();
        absdiff(a, b, diff);
        threshold(diff, diff, 25, 255, THRESH_BINARY);
        dilate(diff, diff, getStructuringElement(MORPH_RECT, new Size(15, 15)));
        MatVector contours = new MatVector();
        findContours(diff, contours, new Mat(), RETR_EXTERNAL, CHAIN_APPROX_SIMPLE);
        List<Region> regions = new ArrayList<>();
        for (long i = 0; i < contours.size(); i++) {
            Rect r = boundingRect(contours.get(i));
            if (r.area() < 150) {
                continue;
            }
            // a detector-sized crop around each moving blob (at least 128 px, a little context around it)
            int side = Math.max(128, Math.max(r.width(), r.height()) + 32);
            int cw = Math.min(w, Math.max(side, r.width() + 32));
            int ch = Math.min(h, Math.max(side, r.height() + 32));
            int x = Math.max(0, Math.min(w - cw, r.x() + r.width() / 2 - cw / 2));
            int y = Math.max(0, Math.min(h - ch, r.y() + r.height() / 2 - ch / 2));
            regions.add(new Region(x, y, cw, ch));
        }
        // crops that lie inside another add nothing
        regions.removeIf(c -> regions.stream().anyMatch(o -> o != c && o.intersectionArea(c) == c.area() && o.area() > c.area()));
        return regions;
    }

    private static Mat gray(byte[] bgr, int w, int h) {
        BytePointer p = new BytePointer(bgr.length);
        p.put(bgr);
        Mat m = new Mat(h, w, CV_8UC3, p);
        Mat g = new Mat();
        cvtColor(m, g, COLOR_BGR2GRAY);
        return g;
    }
}

package io.edgetune.motion.internal;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;
import static org.bytedeco.opencv.global.opencv_imgproc.FONT_HERSHEY_SIMPLEX;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_NEAREST;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_8;
import static org.bytedeco.opencv.global.opencv_imgproc.polylines;
import static org.bytedeco.opencv.global.opencv_imgproc.putText;
import static org.bytedeco.opencv.global.opencv_imgproc.rectangle;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import io.edgetune.motion.engine.MaskPolygon;
import io.edgetune.motion.engine.MotionEngine;
import io.edgetune.api.motion.MotionResult;
import io.edgetune.api.motion.Region;
import java.io.File;
import java.nio.IntBuffer;
import java.util.List;
import java.util.Locale;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Pictures of what motion saw, for people: the frame with moving pixels
 * tinted red, moving areas in yellow, detector crops in green, masks in
 * blue and the state written on top. Written as PNG.
 */
public final class DebugSnapshots {

    private static final Scalar RED = new Scalar(0, 0, 255, 0);
    private static final Scalar YELLOW = new Scalar(0, 255, 255, 0);
    private static final Scalar GREEN = new Scalar(0, 255, 0, 0);
    private static final Scalar BLUE = new Scalar(255, 0, 0, 0);
    private static final Scalar WHITE = new Scalar(255, 255, 255, 0);

    private DebugSnapshots() {
    }

    /** Draws the last result of {@code engine} over a copy of {@code bgr} and writes it as PNG. */
    public static void write(File png, Mat bgr, MotionEngine engine, MotionResult result) {
        try (Mat canvas = render(bgr, engine, result)) {
            File dir = png.getAbsoluteFile().getParentFile();
            if (dir != null && !dir.isDirectory() && !dir.mkdirs()) {
                throw new IllegalStateException("cannot create " + dir);
            }
            if (!imwrite(png.getPath(), canvas)) {
                throw new IllegalStateException("cannot write " + png);
            }
        }
    }

    public static Mat render(Mat bgr, MotionEngine engine, MotionResult result) {
        Mat canvas = bgr.clone();
        int w = canvas.cols();
        int h = canvas.rows();
        try (Mat bigMask = new Mat(); Mat red = new Mat(h, w, CV_8UC3, RED); Mat tinted = new Mat()) {
            if (engine.processWidth() > 0) {
                resize(engine.lastMask(), bigMask, new Size(w, h), 0, 0, INTER_NEAREST);
                org.bytedeco.opencv.global.opencv_core.addWeighted(canvas, 0.5, red, 0.5, 0, tinted);
                tinted.copyTo(canvas, bigMask);
            }
        }
        for (MaskPolygon poly : engine.settings().masks()) {
            try (Mat pts = new Mat(poly.size(), 1, org.bytedeco.opencv.global.opencv_core.CV_32SC2);
                 MatVector v = new MatVector(1)) {
                IntBuffer ib = pts.createBuffer();
                for (int i = 0; i < poly.size(); i++) {
                    ib.put((int) Math.round(poly.xs()[i] * w)).put((int) Math.round(poly.ys()[i] * h));
                }
                v.put(0, pts);
                polylines(canvas, v, true, BLUE, 2, LINE_8, 0);
            }
        }
        for (Region r : engine.lastMovingAreas()) {
            box(canvas, r, YELLOW, 1);
        }
        for (Region r : result.regions()) {
            box(canvas, r, GREEN, 2);
        }
        String label = String.format(Locale.ROOT, "%s%s motion %.1f%% regions %d  %.2f ms",
                result.frame() != null ? "#" + result.frame().sequence() + " " : "", result.state(),
                result.motionRatio() * 100, result.regions().size(), result.motionNanos() / 1e6);
        putText(canvas, label, new Point(8, 22), FONT_HERSHEY_SIMPLEX, 0.6, WHITE, 2, LINE_8, false);
        return canvas;
    }

    private static void box(Mat canvas, Region r, Scalar color, int thickness) {
        rectangle(canvas, new Point(r.x(), r.y()), new Point(r.right() - 1, r.bottom() - 1), color, thickness, LINE_8, 0);
    }

    /** File name for a snapshot: camera, zero-padded sequence, state. */
    public static String fileName(String cameraId, long sequence, MotionResult.State state) {
        return String.format(Locale.ROOT, "%s-%06d-%s.png", cameraId.replaceAll("[^A-Za-z0-9._-]", "_"), sequence,
                state.name().toLowerCase(Locale.ROOT));
    }

}

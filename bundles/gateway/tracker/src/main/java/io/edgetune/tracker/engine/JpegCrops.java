package io.edgetune.tracker.engine;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import io.edgetune.api.frame.Frame;
import java.nio.ByteBuffer;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * A track's picture: the box plus a 10% margin, cut from the frame without a
 * copy (an OpenCV header over the frame's buffer), scaled down so its longer
 * side is at most {@code maxSide}, and encoded with OpenCV's imencode. A JPEG
 * over {@code maxBytes} is encoded once more at half the quality, and given up
 * when still too large. Allocates only when called, which the tracker does only
 * for a new best detection of a confirmed track. Not thread-safe per instance
 * beyond what OpenCV allows: the tracker calls it from one thread per camera.
 */
public final class JpegCrops implements SnapshotEncoder {

    private final int maxSide;
    private final int maxBytes;
    private final int quality;

    public JpegCrops(int maxSide, int maxBytes, int quality) {
        this.maxSide = maxSide;
        this.maxBytes = maxBytes;
        this.quality = quality;
    }

    public static JpegCrops of(TrackerSettings s) {
        return new JpegCrops(s.snapshotMaxSide(), s.snapshotMaxBytes(), s.snapshotQuality());
    }

    @Override
    public byte[] encode(Frame frame, float x, float y, float width, float height) {
        float mx = width * 0.1f;
        float my = height * 0.1f;
        int x0 = clamp(Math.round(x - mx), 0, frame.width() - 1);
        int y0 = clamp(Math.round(y - my), 0, frame.height() - 1);
        int x1 = clamp(Math.round(x + width + mx), x0 + 1, frame.width());
        int y1 = clamp(Math.round(y + height + my), y0 + 1, frame.height());
        ByteBuffer px = frame.pixels().duplicate();
        px.clear();
        try (BytePointer data = new BytePointer(px);
             Mat whole = new Mat(frame.height(), frame.width(), CV_8UC3, data);
             Rect r = new Rect(x0, y0, x1 - x0, y1 - y0);
             Mat crop = new Mat(whole, r);
             Mat scaled = new Mat()) {
            int w = x1 - x0;
            int h = y1 - y0;
            Mat img = crop;
            if (Math.max(w, h) > maxSide) {
                double f = (double) maxSide / Math.max(w, h);
                try (Size size = new Size(Math.max(1, (int) Math.round(w * f)), Math.max(1, (int) Math.round(h * f)))) {
                    resize(crop, scaled, size, 0, 0, INTER_AREA);
                }
                img = scaled;
            }
            byte[] jpeg = jpeg(img, quality);
            if (jpeg != null && jpeg.length > maxBytes) {
                jpeg = jpeg(img, Math.max(10, quality / 2));
            }
            return jpeg == null || jpeg.length > maxBytes ? null : jpeg;
        }
    }

    /** The whole frame as a JPEG (for tools and tests that look at frames); params as for imencode. */
    public static byte[] frameJpeg(Frame frame, IntPointer params) {
        ByteBuffer px = frame.pixels().duplicate();
        px.clear();
        try (BytePointer data = new BytePointer(px);
             Mat whole = new Mat(frame.height(), frame.width(), CV_8UC3, data);
             BytePointer out = new BytePointer()) {
            if (!imencode(".jpg", whole, out, params)) {
                throw new IllegalStateException("OpenCV could not encode a JPEG");
            }
            byte[] b = new byte[(int) out.limit()];
            out.get(b);
            return b;
        }
    }

    private static byte[] jpeg(Mat img, int q) {
        try (IntPointer params = new IntPointer(IMWRITE_JPEG_QUALITY, q);
             BytePointer out = new BytePointer()) {
            if (!imencode(".jpg", img, out, params)) {
                return null;
            }
            byte[] b = new byte[(int) out.limit()];
            out.get(b);
            return b;
        }
    }

    private static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}

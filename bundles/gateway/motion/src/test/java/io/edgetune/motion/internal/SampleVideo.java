package io.edgetune.motion.internal;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import io.edgetune.api.frame.Frame;
import io.edgetune.api.frame.FramePool;
import java.io.File;
import java.nio.ByteBuffer;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Decodes the real sample video (vtest.avi: 768x576, 10 fps, 795 frames,
 * static camera over a plaza) into pooled frames, as the capture bundle
 * would deliver them.
 */
public final class SampleVideo implements AutoCloseable {

    public static final int FRAMES = 795;

    /** What a test does with each decoded frame. */
    public interface FrameVisitor {
        /** @param image the frame's pixels wrapped as a Mat (no copy); edits change the frame */
        void visit(Frame frame, Mat image) throws Exception;
    }

    private final FFmpegFrameGrabber grabber;
    private final FramePool pool;
    private final Mat wrapped;
    private final Frame frame;
    private long sequence;
    /** Decode time of the last frame (including the copy into the pooled buffer). */
    public long lastDecodeNanos;

    public SampleVideo() throws Exception {
        grabber = new FFmpegFrameGrabber(file());
        grabber.setPixelFormat(org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24);
        grabber.start();
        int w = grabber.getImageWidth();
        int h = grabber.getImageHeight();
        pool = new FramePool(1, w, h);
        frame = pool.acquire();
        wrapped = new Mat(h, w, CV_8UC3, new BytePointer(frame.pixels()));
    }

    public static File file() {
        String dir = System.getProperty("edgetune.assets", System.getProperty("user.home") + "/.cache/edgetune");
        File f = new File(dir, "vtest.avi");
        if (!f.isFile()) {
            throw new IllegalStateException("sample video missing: " + f + " (run the asset fetcher of features/assets)");
        }
        return f;
    }

    /** Decodes the next frame into the pooled buffer; false at the end. */
    public boolean next() throws Exception {
        long t0 = System.nanoTime();
        org.bytedeco.javacv.Frame f = grabber.grabImage();
        if (f == null) {
            return false;
        }
        ByteBuffer src = (ByteBuffer) f.image[0];
        int row = f.imageWidth * 3;
        for (int y = 0; y < f.imageHeight; y++) {
            frame.pixels().put(y * row, src, y * f.imageStride, row);
        }
        frame.fill("vtest", sequence++, System.currentTimeMillis(), System.nanoTime(), f.imageWidth, f.imageHeight);
        lastDecodeNanos = System.nanoTime() - t0;
        return true;
    }

    public Frame frame() {
        return frame;
    }

    public Mat image() {
        return wrapped;
    }

    /** Runs the visitor on frames first..last (inclusive); the frames before first are decoded and skipped. */
    public static void each(int first, int last, FrameVisitor visitor) throws Exception {
        try (SampleVideo v = new SampleVideo()) {
            for (int i = 0; i <= last && v.next(); i++) {
                if (i >= first) {
                    visitor.visit(v.frame(), v.image());
                }
                // the test owns the only reference; hand it back so fill() can reuse it
                v.frame().release();
                v.reacquire();
            }
        }
    }

    private void reacquire() {
        Frame again = pool.acquire();
        if (again != frame) {
            throw new IllegalStateException("a test kept the frame");
        }
    }

    @Override
    public void close() throws Exception {
        grabber.stop();
        grabber.release();
        wrapped.close();
    }
}

package io.edgetune.testsupport;

import io.edgetune.api.frame.Frame;
import io.edgetune.api.frame.FramePool;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;

/**
 * Real frames of the sample video vtest.avi (768x576) as packed BGR bytes,
 * decoded with JavaCV's FFmpeg grabber; each frame is decoded at most once per
 * JVM. Callers must not change the arrays they get.
 */
public final class VideoFrames {

    public static final int WIDTH = 768;
    public static final int HEIGHT = 576;
    private static final Map<Integer, byte[]> DECODED = new TreeMap<>();

    private VideoFrames() {
    }

    /** The wanted frames (0-based indices, any order) by index, ascending. */
    public static synchronized Map<Integer, byte[]> bgr(int... wanted) throws Exception {
        TreeSet<Integer> missing = new TreeSet<>();
        for (int i : wanted) {
            if (!DECODED.containsKey(i)) {
                missing.add(i);
            }
        }
        if (!missing.isEmpty()) {
            avutil.av_log_set_level(avutil.AV_LOG_ERROR);
            try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(Assets.video().toFile())) {
                g.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
                g.start();
                for (int n = 0; n <= missing.last(); n++) {
                    org.bytedeco.javacv.Frame f = g.grabImage();
                    if (f == null) {
                        throw new IllegalStateException(Assets.VIDEO + " ends before frame " + n);
                    }
                    if (missing.contains(n)) {
                        DECODED.put(n, packed(f));
                    }
                }
            }
        }
        Map<Integer, byte[]> out = new TreeMap<>();
        for (int i : wanted) {
            out.put(i, DECODED.get(i));
        }
        return out;
    }

    /** One frame's BGR bytes. */
    public static byte[] bgr(int index) throws Exception {
        return bgr(new int[] {index}).get(index);
    }

    /** JavaCV pads rows to its stride; the pipeline's frames are packed. */
    public static byte[] packed(org.bytedeco.javacv.Frame f) {
        ByteBuffer src = (ByteBuffer) f.image[0];
        int row = f.imageWidth * 3;
        byte[] out = new byte[row * f.imageHeight];
        for (int y = 0; y < f.imageHeight; y++) {
            src.position(y * f.imageStride);
            src.get(out, y * row, row);
        }
        src.position(0);
        return out;
    }

    /** A pooled frame holding {@code bgr} (one reference, held by the caller, who releases it). */
    public static Frame frame(FramePool pool, byte[] bgr, String camera, long sequence, long timestampMillis) {
        Frame f = pool.acquire();
        if (f == null) {
            throw new IllegalStateException("frame pool exhausted: frames are not released");
        }
        ByteBuffer dst = f.pixels();
        dst.clear();
        dst.put(bgr);
        dst.clear();
        return f.fill(camera, sequence, timestampMillis, System.nanoTime(), WIDTH, HEIGHT);
    }
}

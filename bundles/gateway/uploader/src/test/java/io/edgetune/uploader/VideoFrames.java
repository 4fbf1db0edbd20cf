package io.edgetune.uploader;

import static org.junit.Assert.assertTrue;

import io.edgetune.api.frame.Frame;
import io.edgetune.api.frame.FramePool;
import java.io.File;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;

/** Real frames of the sample video (768x576 BGR), decoded once per test class. */
final class VideoFrames {

    static final int WIDTH = 768;
    static final int HEIGHT = 576;

    private VideoFrames() {
    }

    static File video() {
        File video = new File(System.getProperty("edgetune.assets"), "vtest.avi");
        assertTrue("sample video " + video, video.isFile());
        return video;
    }

    /** The frames at the given (ascending) indices, as packed BGR arrays. */
    static Map<Integer, byte[]> read(int... indices) throws Exception {
        int[] wanted = indices.clone();
        Arrays.sort(wanted);
        Map<Integer, byte[]> out = new LinkedHashMap<>();
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(video())) {
            grabber.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
            grabber.start();
            int next = 0;
            for (int i = 0; i <= wanted[wanted.length - 1]; i++) {
                org.bytedeco.javacv.Frame f = grabber.grabImage();
                if (f == null) {
                    throw new IllegalStateException("video ended before frame " + i);
                }
                if (i != wanted[next]) {
                    continue;
                }
                next++;
                ByteBuffer src = (ByteBuffer) f.image[0];
                byte[] bgr = new byte[f.imageWidth * f.imageHeight * 3];
                int row = f.imageWidth * 3;
                for (int y = 0; y < f.imageHeight; y++) {
                    src.position(y * f.imageStride);
                    src.get(bgr, y * row, row);
                }
                out.put(i, bgr);
            }
        }
        return out;
    }

    /** A pooled frame holding {@code bgr}; the caller releases it. */
    static Frame frame(FramePool pool, byte[] bgr, String camera, long sequence, long timestampMillis) {
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

    /** The same frame with every channel raised by {@code delta} (a lighting jump). */
    static byte[] brighter(byte[] bgr, int delta) {
        byte[] out = new byte[bgr.length];
        for (int i = 0; i < bgr.length; i++) {
            out[i] = (byte) Math.min(255, (bgr[i] & 0xff) + delta);
        }
        return out;
    }
}

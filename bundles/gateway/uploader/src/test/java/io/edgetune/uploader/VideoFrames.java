package io.edgetune.uploader;

import io.edgetune.api.frame.Frame;
import io.edgetune.api.frame.FramePool;
import io.edgetune.testsupport.Assets;
import java.io.File;
import java.util.Map;

/** Real frames of the sample video (768x576 BGR), from test-support, as the uploader tests name them. */
final class VideoFrames {

    static final int WIDTH = io.edgetune.testsupport.VideoFrames.WIDTH;
    static final int HEIGHT = io.edgetune.testsupport.VideoFrames.HEIGHT;

    private VideoFrames() {
    }

    static File video() {
        return Assets.video().toFile();
    }

    /** The frames at the given indices, as packed BGR arrays. */
    static Map<Integer, byte[]> read(int... indices) throws Exception {
        return io.edgetune.testsupport.VideoFrames.bgr(indices);
    }

    /** A pooled frame holding {@code bgr}; the caller releases it. */
    static Frame frame(FramePool pool, byte[] bgr, String camera, long sequence, long timestampMillis) {
        return io.edgetune.testsupport.VideoFrames.frame(pool, bgr, camera, sequence, timestampMillis);
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

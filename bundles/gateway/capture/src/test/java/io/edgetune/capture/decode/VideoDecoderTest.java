package io.edgetune.capture.decode;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.edgetune.testsupport.Assets;
import io.edgetune.testsupport.VideoFrames;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The exported decoder on the real sample video. */
public class VideoDecoderTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void decodesTheSampleVideoToPackedBgrFrameByFrame() throws Exception {
        int[] indices = {0, 1, 2, 50};
        try (VideoDecoder d = new VideoDecoder(Assets.video().toString())) {
            d.open();
            ByteBuffer bgr = ByteBuffer.allocateDirect(VideoFrames.WIDTH * VideoFrames.HEIGHT * 3);
            long lastTimestamp = -1;
            int next = 0;
            for (int n = 0; next < indices.length; n++) {
                assertTrue("frame " + n, d.next());
                assertEquals(VideoFrames.WIDTH, d.width());
                assertEquals(VideoFrames.HEIGHT, d.height());
                assertTrue("time moves on at frame " + n, d.timestampMicros() > lastTimestamp);
                lastTimestamp = d.timestampMicros();
                if (n == indices[next]) {
                    bgr.clear();
                    d.copyTo(bgr);
                    byte[] got = new byte[bgr.capacity()];
                    bgr.clear();
                    bgr.get(got);
                    // the same pixels as JavaCV's own BGR24 grabber gives
                    assertArrayEquals("frame " + n, VideoFrames.bgr(n), got);
                    next++;
                }
            }
            assertEquals(10.0, d.frameRate(), 0.01);
        }
    }

    @Test
    public void endsAfterTheLastFrame() throws Exception {
        try (VideoDecoder d = new VideoDecoder(Assets.video().toString())) {
            d.open();
            int frames = 0;
            while (d.next()) {
                frames++;
            }
            assertTrue("vtest.avi has hundreds of frames: " + frames, frames > 500);
            assertFalse("still at the end", d.next());
        }
    }

    @Test(expected = IOException.class)
    public void aFileThatIsNoVideoDoesNotOpen() throws Exception {
        Path junk = tmp.newFile("junk.avi").toPath();
        Files.writeString(junk, "not a video");
        try (VideoDecoder d = new VideoDecoder(junk.toString())) {
            d.open();
        }
    }
}

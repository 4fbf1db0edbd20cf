package io.edgetune.liveview.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import io.edgetune.api.detect.Detection;
import io.edgetune.api.detect.Detections;
import io.edgetune.api.frame.Frame;
import io.edgetune.api.frame.FramePool;
import io.edgetune.api.track.Track;
import io.edgetune.api.track.TrackEvent;
import io.edgetune.api.track.TrackedFrame;
import io.edgetune.testsupport.VideoFrames;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageIO;
import org.junit.After;
import org.junit.Test;

/** LiveFeed on real vtest.avi frames: no work while nobody watches, one picture per refresh interval while watched. */
public class LiveFeedTest {

    private final FramePool pool = new FramePool(4, VideoFrames.WIDTH, VideoFrames.HEIGHT);
    private LiveFeed feed;
    /** The feed's clock, stepped by the tests: refresh intervals without waiting. */
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    @After
    public void close() {
        if (feed != null) {
            feed.close();
        }
    }

    private static LiveViewSettings settings(int refreshMillis, int maxWidth, int eventsMax) {
        return new LiveViewSettings(true, InetAddress.getLoopbackAddress(), "", "", "/edgetune/live", "", refreshMillis, 80,
                maxWidth, eventsMax);
    }

    private Frame frame(int index, long seq) throws Exception {
        return VideoFrames.frame(pool, VideoFrames.bgr(index), "plaza", seq, 1_000 + seq);
    }

    private void awaitEncoded(long n) throws InterruptedException {
        for (int i = 0; i < 600 && feed.encodedCount() < n; i++) {
            Thread.sleep(50);
        }
        assertEquals(n, feed.encodedCount());
    }

    @Test
    public void nobodyWatchingCostsNoPictureAndHoldsNoFrame() throws Exception {
        feed = new LiveFeed(settings(100, 960, 20), now::get);
        for (int i = 0; i < 8; i++) {
            Frame f = frame(100 + i, i);
            feed.onFrame(f);
            assertEquals("the feed kept no reference", 1, f.refCount());
            f.release();
        }
        assertEquals(0, feed.encodedCount());
        assertNull(feed.latest("plaza"));
        assertEquals(4, pool.available());
        assertTrue("the camera is known (for 404s) even unwatched", feed.knows("plaza"));
    }

    @Test
    public void aWatchedCameraGetsOnePicturePerRefreshIntervalScaledToTheCap() throws Exception {
        feed = new LiveFeed(settings(10_000, 384, 20), now::get);
        Frame first = frame(200, 1);
        feed.onFrame(first);
        first.release();
        assertTrue(feed.watch("plaza"));
        assertTrue(!feed.watch("nobody"));
        for (int i = 0; i < 6; i++) {
            Frame f = frame(200 + i, 10 + i);
            Detections d = new Detections("plaza", 10 + i, 1_010 + i, f.captureNanos(), "base", "test", Detections.Mode.FULL_FRAME,
                    List.of(), List.of(new Detection(0, "Person", 0.9f, 100, 50, 40, 120)), 0, 0);
            feed.onDetections(d, f);
            f.release();
        }
        awaitEncoded(1);
        // the clock did not move: the refresh interval (10 s) is not over, the other five frames cost nothing
        Picture p = feed.latest("plaza");
        assertNotNull(p);
        assertEquals(10, p.sequence());
        assertEquals("detections", p.source());
        assertEquals(768, p.width());
        assertEquals("Person", p.boxes().get(0).label());
        assertEquals(-1, p.boxes().get(0).trackId());
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(p.jpeg()));
        assertEquals(384, img.getWidth());
        assertEquals(288, img.getHeight());
        assertSame(p, feed.picture("plaza", 999));

        // 10 s later the next frame is due again, and both pictures can be asked for by sequence
        now.addAndGet(10_000_000_000L);
        Frame next = frame(206, 20);
        feed.onFrame(next);
        next.release();
        awaitEncoded(2);
        assertEquals(20, feed.latest("plaza").sequence());
        assertEquals("frames", feed.latest("plaza").source());
        assertSame(p, feed.picture("plaza", 10));
        for (int i = 0; i < 50 && pool.available() < 4; i++) {
            Thread.sleep(20);
        }
        assertEquals("every frame back in the pool", 4, pool.available());
    }

    @Test
    public void tracksWinOverDetectionsAndEventsAreKeptNewestFirstUpToTheCap() throws Exception {
        feed = new LiveFeed(settings(100, 0, 3), now::get);
        Frame f = frame(300, 5);
        feed.onFrame(f);
        assertTrue(feed.watch("plaza"));
        Track t = new Track("plaza", 7, 0, "Person", 0.8f, 10, 20, 30, 60, Track.State.ACTIVE, 1, 2, List.of("door"));
        feed.onTracks(new TrackedFrame("plaza", 5, 1_005, List.of(t), Map.of("door", Map.of("Person", 1))), f);
        // the same frame's detections, later: the tracker feeds this camera, so they are ignored
        feed.onDetections(new Detections("plaza", 5, 1_005, 0, "base", "test", Detections.Mode.FULL_FRAME, List.of(), List.of(), 0, 0), f);
        f.release();
        awaitEncoded(1);
        Picture p = feed.latest("plaza");
        assertEquals("tracks", p.source());
        assertEquals(7, p.boxes().get(0).trackId());
        assertEquals(List.of("door"), p.boxes().get(0).zones());
        assertEquals(768, ImageIO.read(new ByteArrayInputStream(p.jpeg())).getWidth());

        byte[] snapshot = {(byte) 0xFF, (byte) 0xD8, 1, 2};
        for (int i = 0; i < 5; i++) {
            feed.onEvent(new TrackEvent(TrackEvent.Type.START, "plaza", i, 0, "Person", 0.9f, null, 1_000 + i, 0, snapshot));
        }
        List<LiveFeed.Event> events = feed.events("plaza");
        assertEquals(3, events.size());
        assertEquals(4, events.get(0).event().trackId());
        assertEquals(2, events.get(2).event().trackId());
        assertArrayEquals(snapshot, events.get(0).event().snapshotJpeg());
    }
}

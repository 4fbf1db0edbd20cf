package io.edgetune.motion.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.edgetune.motion.engine.MotionSettings;
import io.edgetune.api.frame.Frame;
import io.edgetune.api.frame.FramePool;
import io.edgetune.api.motion.MotionResult;
import java.io.File;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The DS component without a framework: real frames in, motion results out, on its own thread. */
public class MotionDetectorComponentTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    /** Feeds frames of the sample video the way a camera does: pooled, one reference, released after onFrame. */
    private static int feed(MotionDetectorComponent component, FramePool pool, int count) throws Exception {
        return feed(component, pool, count, false);
    }

    /** lockstep: wait until motion has returned each frame before the next, so none is dropped. */
    private static int feed(MotionDetectorComponent component, FramePool pool, int count, boolean lockstep) throws Exception {
        int poolSize = pool.available();
        int capturedDrops = 0;
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(SampleVideo.file())) {
            g.start();
            for (int i = 0; i < count; i++) {
                org.bytedeco.javacv.Frame f = g.grabImage();
                Frame frame = pool.acquire();
                if (frame == null) {
                    capturedDrops++;
                    continue;
                }
                ByteBuffer src = (ByteBuffer) f.image[0];
                for (int y = 0; y < f.imageHeight; y++) {
                    frame.pixels().put(y * f.imageWidth * 3, src, y * f.imageStride, f.imageWidth * 3);
                }
                frame.fill("cam1", i, System.currentTimeMillis(), System.nanoTime(), f.imageWidth, f.imageHeight);
                component.onFrame(frame);
                frame.release();
                if (lockstep && !await(() -> pool.available() == poolSize, 10_000)) {
                    throw new AssertionError("frame " + i + " was not returned to the pool");
                }
            }
            g.stop();
        }
        return capturedDrops;
    }

    private static boolean await(java.util.function.BooleanSupplier c, long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (!c.getAsBoolean() && System.currentTimeMillis() < end) {
            Thread.sleep(20);
        }
        return c.getAsBoolean();
    }

    @Test(timeout = 120_000)
    public void resultsReachTheRightListenersAndEveryFrameGoesBackToThePool() throws Exception {
        MotionDetectorComponent c = new MotionDetectorComponent();
        List<MotionResult> mine = new CopyOnWriteArrayList<>();
        List<MotionResult> others = new CopyOnWriteArrayList<>();
        c.addMotionListener(r -> mine.add(r), Map.of("camera.id", "cam1"));
        c.addMotionListener(r -> others.add(r), Map.of("camera.id", "cam2"));
        c.activate(Configs.of(MotionConfig.class, Map.of("camera_id", "cam1", "warmup_frames", 5, "queue_size", 2)));
        MotionControl control = new MotionControl();
        control.addDetector(c);
        FramePool pool = new FramePool(4, 768, 576);
        try {
            int submitted = 150 - feed(c, pool, 150);
            assertTrue(await(() -> mine.size() + c.droppedFrames() == submitted, 60_000));
            assertTrue(others.isEmpty());
            assertTrue(mine.stream().anyMatch(r -> r.state() == MotionResult.State.MOTION));
            // walkers in every frame after warm-up: few frames can be skipped
            double skip = control.skipRatio("cam1");
            assertTrue("skip ratio " + skip, skip >= 0 && skip < 0.3);
            assertEquals(-1, control.skipRatio("cam9"), 0);
            assertTrue(control.reset("cam1"));
            assertFalse(control.reset("cam9"));
        } finally {
            c.deactivate();
        }
        assertEquals("every frame must be back in the pool", 4, pool.available());
    }

    @Test(timeout = 120_000)
    public void aBlockedListenerNeverBlocksTheCaptureThread() throws Exception {
        MotionDetectorComponent c = new MotionDetectorComponent();
        CountDownLatch release = new CountDownLatch(1);
        c.addMotionListener(r -> {
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, Map.of());
        c.activate(Configs.of(MotionConfig.class, Map.of("camera_id", "cam1", "queue_size", 1)));
        FramePool pool = new FramePool(4, 768, 576);
        try {
            // the listener holds the worker; onFrame must keep returning, dropping the oldest queued frame
            int capturedDrops = feed(c, pool, 60);
            assertEquals("the queue of 1 plus the frame in the worker hold 2 of 4 buffers", 0, capturedDrops);
            assertTrue("dropped " + c.droppedFrames(), c.droppedFrames() >= 57);
        } finally {
            release.countDown();
            c.deactivate();
        }
        assertEquals(4, pool.available());
    }

    @Test(timeout = 120_000)
    public void debugSnapshotsArePngsOfTheFrame() throws Exception {
        File dir = tmp.newFolder("debug");
        MotionDetectorComponent c = new MotionDetectorComponent();
        List<MotionResult> results = new CopyOnWriteArrayList<>();
        c.addMotionListener(results::add, Map.of());
        c.activate(Configs.of(MotionConfig.class, Map.of("camera_id", "cam1", "warmup_frames", 5, "queue_size", 4,
                "debug_enabled", true, "debug_dir", dir.getPath(), "debug_every_frames", 10, "debug_max_files", 3)));
        FramePool pool = new FramePool(6, 768, 576);
        try {
            int submitted = 40 - feed(c, pool, 40, true);
            assertTrue(await(() -> results.size() + c.droppedFrames() == submitted, 60_000));
        } finally {
            c.deactivate();
        }
        assertEquals(0, c.droppedFrames());
        File[] pngs = dir.listFiles((d, n) -> n.endsWith(".png"));
        assertEquals("debug.max.files caps the snapshots", 3, pngs.length);
        for (File png : pngs) {
            try (Mat m = opencv_imgcodecs.imread(png.getPath())) {
                assertEquals(768, m.cols());
                assertEquals(576, m.rows());
            }
        }
    }

    @Test
    public void aBadConfigurationIsRejectedWithItsReason() {
        try {
            MotionDetectorComponent.settings(Configs.of(MotionConfig.class, Map.of("masks", "0.1,0.1 0.2,0.2")));
            throw new AssertionError("two-point mask accepted");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("at least 3 points"));
        }
        try {
            MotionDetectorComponent.settings(Configs.of(MotionConfig.class, Map.of("model", "KNN")));
            throw new AssertionError("unknown model accepted");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("MOG2"));
        }
        // and the defaults of the console are valid
        assertEquals(MotionSettings.defaults(), MotionDetectorComponent.settings(Configs.of(MotionConfig.class, Map.of())));
    }
}

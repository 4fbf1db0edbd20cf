package io.edgetune.inference.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import io.edgetune.api.detect.DetectionListener;
import io.edgetune.api.detect.Detections;
import io.edgetune.api.detect.DetectorStatus;
import io.edgetune.api.frame.Frame;
import io.edgetune.api.frame.FramePool;
import io.edgetune.api.model.ModelDescriptor;
import io.edgetune.api.motion.MotionResult;
import io.edgetune.api.motion.Region;
import io.edgetune.inference.TestAssets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The DS component end to end: motion results in, detections out to whiteboard listeners, model swaps under load. */
public class DetectorComponentTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private DetectorComponent component;
    private final List<Detections> delivered = new CopyOnWriteArrayList<>();
    private final AtomicInteger listenerSawReleasedFrame = new AtomicInteger();
    private Map<Integer, byte[]> frames;

    private final DetectionListener listener = (d, frame) -> {
        if (frame.refCount() <= 0) {
            listenerSawReleasedFrame.incrementAndGet();
        }
        delivered.add(d);
    };

    @Before
    public void start() throws Exception {
        frames = TestAssets.frames(300, 500);
        Map<String, Object> c = new HashMap<>();
        c.put("model_dir", tmp.getRoot().toPath().resolve("models").toString());
        c.put("assets_dir", TestAssets.dir().toString());
        c.put("queue_depth", 2);
        component = new DetectorComponent();
        component.addDetectionListener(listener);
        long t0 = System.nanoTime();
        component.activate(Configs.detector(c));
        // activate returns at once; the model loads on its own thread
        assertTrue("activate blocked for the model load", System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(1) || component.status().modelVersion() == null);
        waitFor(() -> component.status().modelVersion() != null, 60_000);
    }

    @After
    public void stop() {
        if (component != null) {
            component.deactivate();
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier c, long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (!c.getAsBoolean()) {
            if (System.currentTimeMillis() > end) {
                throw new AssertionError("condition not met within " + millis + " ms");
            }
            Thread.sleep(10);
        }
    }

    private MotionResult motion(FramePool pool, String camera, long seq) {
        byte[] bgr = frames.get(seq % 2 == 0 ? 300 : 500);
        Frame f = TestAssets.frame(pool, camera, seq, bgr);
        List<Region> regions = List.of(new Region(150, 120, 250, 200), new Region(540, 130, 228, 280));
        return new MotionResult(f, regions, 0.1, false, MotionResult.State.MOTION, 1000);
    }

    @Test
    public void statusAndRegistryAfterStart() throws Exception {
        DetectorStatus s = component.status();
        assertEquals("tflite-javacpp", s.backend());
        assertEquals("base-oidv4", s.modelVersion());
        // Edge TPU is on by default; the seeded CPU model has no Edge TPU build, so the status says why it runs on CPU
        assertEquals("cpu", s.accelerator());
        assertTrue(s.note(), s.note().contains("no Edge TPU build"));
        assertEquals(List.of("base-oidv4"), component.list().stream().map(ModelDescriptor::version).toList());
        FramePool pool = new FramePool(1, TestAssets.WIDTH, TestAssets.HEIGHT);
        MotionResult m = motion(pool, "cam", 0);
        Detections d = component.detect(m.frame(), m.regions());
        assertEquals(Detections.Mode.REGIONS, d.mode());
        assertTrue(d.detections().stream().anyMatch(x -> x.label().equals("Person")));
        m.frame().release();
        assertEquals(1, pool.available());
    }

    @Test
    public void backendIsSelectableInTheConfiguration() throws Exception {
        Map<String, Object> c = new HashMap<>();
        c.put("model_dir", tmp.getRoot().toPath().resolve("models").toString());
        c.put("assets_dir", TestAssets.dir().toString());
        c.put("backend", "djl");
        c.put("mode", "full_frame");
        c.put("class_allowlist", "Person");
        component.modified(Configs.detector(c));
        waitFor(() -> "djl-tflite".equals(component.status().backend()), 60_000);
        FramePool pool = new FramePool(1, TestAssets.WIDTH, TestAssets.HEIGHT);
        MotionResult m = motion(pool, "cam", 0);
        try {
            Detections d = component.detect(m.frame(), m.regions());
            assertEquals("djl-tflite", d.backend());
            assertEquals(Detections.Mode.FULL_FRAME, d.mode());
            assertTrue(d.detections().size() >= 4);
            assertTrue(d.detections().stream().allMatch(x -> x.label().equals("Person")));
        } finally {
            m.frame().release();
        }
    }

    /**
     * Two cameras feed frames as fast as the detector takes them while the
     * model is swapped three times and a third thread calls detect()
     * synchronously: every frame is delivered, no request fails, every frame
     * goes back to its pool.
     */
    @Test
    public void hotSwapUnderLoadLosesNothing() throws Exception {
        Path pkg = Files.createDirectories(tmp.getRoot().toPath().resolve("v2pkg"));
        io.edgetune.inference.PackagesAccess.write(pkg, "v2");
        component.install(pkg);

        int perCamera = 24;
        FramePool poolA = new FramePool(3, TestAssets.WIDTH, TestAssets.HEIGHT);
        FramePool poolB = new FramePool(3, TestAssets.WIDTH, TestAssets.HEIGHT);
        AtomicLong syncFailures = new AtomicLong();
        AtomicLong syncCalls = new AtomicLong();
        Map<String, AtomicInteger> fed = new ConcurrentHashMap<>();
        Thread[] producers = new Thread[2];
        String[] cams = {"camA", "camB"};
        FramePool[] pools = {poolA, poolB};
        for (int c = 0; c < 2; c++) {
            String cam = cams[c];
            FramePool pool = pools[c];
            fed.put(cam, new AtomicInteger());
            producers[c] = new Thread(() -> {
                for (int i = 0; i < perCamera; i++) {
                    int seq = i;
                    // paced like a camera at the detector's speed: the next frame comes when this camera's last one is done
                    try {
                        waitFor(() -> delivered.stream().filter(d -> d.cameraId().equals(cam)).count() >= seq, 60_000);
                    } catch (InterruptedException e) {
                        return;
                    }
                    MotionResult m = motion(pool, cam, i);
                    component.onMotion(m);
                    m.frame().release();
                    fed.get(cam).incrementAndGet();
                }
            });
            producers[c].start();
        }
        FramePool syncPool = new FramePool(1, TestAssets.WIDTH, TestAssets.HEIGHT);
        Thread sync = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                MotionResult m = motion(syncPool, "sync", syncCalls.get());
                try {
                    component.detect(m.frame(), List.of());
                    syncCalls.incrementAndGet();
                } catch (Exception e) {
                    syncFailures.incrementAndGet();
                } finally {
                    m.frame().release();
                }
            }
        });
        sync.start();

        Set<String> versions = ConcurrentHashMap.newKeySet();
        waitFor(() -> delivered.size() >= 6, 60_000);
        component.activate("v2");
        waitFor(() -> delivered.size() >= 18, 60_000);
        component.rollback();
        waitFor(() -> delivered.size() >= 30, 60_000);
        component.activate("v2");
        for (Thread p : producers) {
            p.join(120_000);
        }
        waitFor(() -> delivered.size() >= 2 * perCamera, 60_000);
        sync.interrupt();
        sync.join(10_000);
        delivered.forEach(d -> versions.add(d.modelVersion()));

        assertEquals(2 * perCamera, fed.get("camA").get() + fed.get("camB").get());
        assertEquals("every frame fed was delivered", 2 * perCamera, delivered.size());
        assertEquals(0, component.status().dropped());
        assertEquals(0, syncFailures.get());
        assertTrue(syncCalls.get() > 0);
        assertEquals(Set.of("base-oidv4", "v2"), versions);
        assertEquals(0, listenerSawReleasedFrame.get());
        assertEquals("v2", component.status().modelVersion());
        component.deactivate();
        component = null;
        assertEquals(3, poolA.available());
        assertEquals(3, poolB.available());
        assertEquals(1, syncPool.available());
        System.out.printf("hot swap under load: %d frames delivered, 0 dropped, %d synchronous detections, 0 failures, versions %s%n",
                2 * perCamera, syncCalls.get(), versions);
    }

    /** Stopping the component while frames flow releases every frame it held; a new instance picks up the registry. */
    @Test
    public void stopAndRestartWhileFramesFlow() throws Exception {
        FramePool pool = new FramePool(4, TestAssets.WIDTH, TestAssets.HEIGHT);
        AtomicInteger offered = new AtomicInteger();
        DetectorComponent first = component;
        Thread producer = new Thread(() -> {
            for (int i = 0; i < 200 && !Thread.currentThread().isInterrupted(); i++) {
                if (pool.available() == 0) {
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                    continue;
                }
                MotionResult m = motion(pool, "cam", i);
                first.onMotion(m);
                m.frame().release();
                offered.incrementAndGet();
            }
        });
        producer.start();
        waitFor(() -> delivered.size() >= 3, 60_000);
        first.deactivate();
        producer.join(30_000);
        assertTrue(offered.get() > 3);
        // frames offered after the stop are ignored; every frame went back to the pool
        waitFor(() -> pool.available() == 4, 10_000);
        int before = delivered.size();

        Map<String, Object> c = new HashMap<>();
        c.put("model_dir", tmp.getRoot().toPath().resolve("models").toString());
        c.put("assets_dir", TestAssets.dir().toString());
        component = new DetectorComponent();
        component.addDetectionListener(listener);
        component.activate(Configs.detector(c));
        waitFor(() -> component.status().modelVersion() != null, 60_000);
        assertEquals("base-oidv4", component.status().modelVersion());
        MotionResult m = motion(pool, "cam", 1000);
        component.onMotion(m);
        m.frame().release();
        waitFor(() -> delivered.size() > before, 60_000);
        waitFor(() -> pool.available() == 4, 10_000);
    }

    /** A burst from a busy camera is cut to the queue depth (oldest dropped, counted); the quiet camera still gets served. */
    @Test
    public void burstsAreDroppedOldestFirstAndCountedFairly() throws Exception {
        FramePool busy = new FramePool(12, TestAssets.WIDTH, TestAssets.HEIGHT);
        FramePool quiet = new FramePool(1, TestAssets.WIDTH, TestAssets.HEIGHT);
        for (int i = 0; i < 12; i++) {
            MotionResult m = motion(busy, "busy", i);
            component.onMotion(m);
            m.frame().release();
        }
        MotionResult q = motion(quiet, "quiet", 0);
        component.onMotion(q);
        q.frame().release();
        waitFor(() -> component.status().queueDepth() == 0 && delivered.size() + component.status().dropped() >= 13, 60_000);
        Thread.sleep(200);
        long dropped = component.status().dropped();
        assertEquals(13, delivered.size() + dropped);
        assertTrue("burst should overflow a depth-2 queue", dropped >= 9);
        assertTrue(delivered.stream().anyMatch(d -> d.cameraId().equals("quiet")));
        // the newest busy frame always survives
        assertTrue(delivered.stream().anyMatch(d -> d.cameraId().equals("busy") && d.frameSequence() == 11));
        waitFor(() -> busy.available() == 12 && quiet.available() == 1, 10_000);
        assertNotNull(component.status());
    }
}

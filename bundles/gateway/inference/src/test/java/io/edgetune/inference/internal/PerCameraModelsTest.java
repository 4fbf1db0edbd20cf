package io.edgetune.inference.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.edgetune.api.detect.DetectionListener;
import io.edgetune.api.detect.Detections;
import io.edgetune.api.detect.DetectorStatus;
import io.edgetune.api.frame.Frame;
import io.edgetune.api.frame.FramePool;
import io.edgetune.api.model.ModelDescriptor;
import io.edgetune.api.model.ModelException;
import io.edgetune.api.motion.MotionResult;
import io.edgetune.api.motion.Region;
import io.edgetune.inference.TestAssets;
import io.edgetune.inference.engine.DetectorSettings;
import io.edgetune.inference.engine.EngineOptions;
import io.edgetune.modelpackage.Manifest;
import io.edgetune.modelpackage.PackageLayout;
import io.edgetune.modelpackage.PackageVerifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Per-camera models on the real model and video: two cameras (the sample video and its mirror image) served by
 * one detector; a model activated for one camera changes only that camera's model, and the other camera loses
 * no frame while it loads and swaps.
 */
public class PerCameraModelsTest {

    private static final String FRONT = "front";
    private static final String MIRROR = "mirror";
    /** The second model: the real weights, with a manifest threshold that makes it report only sure people. */
    private static final String STRICT = "front-strict";
    private static final double STRICT_PERSON = 0.8;

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private DetectorComponent component;
    private final List<Detections> delivered = new CopyOnWriteArrayList<>();
    private final DetectionListener listener = (d, frame) -> delivered.add(d);

    @After
    public void stop() {
        if (component != null) {
            component.deactivate();
        }
    }

    private Map<String, Object> config() {
        Map<String, Object> c = new HashMap<>();
        c.put("model_dir", tmp.getRoot().toPath().resolve("models").toString());
        c.put("assets_dir", TestAssets.dir().toString());
        c.put("queue_depth", 2);
        return c;
    }

    private DetectorComponent start(Map<String, Object> c) throws Exception {
        DetectorComponent d = new DetectorComponent();
        d.addDetectionListener(listener);
        // a copy: the proxy reads its map live, and the test changes it later
        d.activate(Configs.detector(new HashMap<>(c)));
        waitFor(() -> d.status().modelVersion() != null, 60_000);
        return d;
    }

    private static void waitFor(BooleanSupplier c, long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (!c.getAsBoolean()) {
            if (System.currentTimeMillis() > end) {
                throw new AssertionError("condition not met within " + millis + " ms");
            }
            Thread.sleep(10);
        }
    }

    /** A package of the real model whose manifest sets a Person threshold of its own (what a round writes). */
    private Path strictPackage(String version) throws Exception {
        Path dir = Files.createDirectories(tmp.getRoot().toPath().resolve("pkg-" + version));
        Files.copy(TestAssets.model(), dir.resolve(PackageLayout.MODEL));
        ModelDescriptor d = new ModelDescriptor(version, PackageLayout.sha256(dir.resolve(PackageLayout.MODEL)), TestAssets.labels(),
                300, 300, "ssd-mobilenet-v2:300", "base-oidv4", Map.of("threshold.Person", STRICT_PERSON), System.currentTimeMillis(), false);
        Manifest.write(d, dir);
        return dir;
    }

    /** The frame mirrored left to right (BGR rows reversed pixel by pixel): the same scene seen by another camera. */
    private static byte[] mirror(byte[] bgr) {
        byte[] out = new byte[bgr.length];
        int w = TestAssets.WIDTH;
        for (int y = 0; y < TestAssets.HEIGHT; y++) {
            for (int x = 0; x < w; x++) {
                int from = (y * w + x) * 3;
                int to = (y * w + (w - 1 - x)) * 3;
                out[to] = bgr[from];
                out[to + 1] = bgr[from + 1];
                out[to + 2] = bgr[from + 2];
            }
        }
        return out;
    }

    private long deliveredOf(String camera) {
        return delivered.stream().filter(d -> d.cameraId().equals(camera)).count();
    }

    @Test
    public void aModelForOneCameraLeavesTheOtherCamerasModelAndFrames() throws Exception {
        Map<Integer, byte[]> video = TestAssets.frames(300, 500);
        Map<String, byte[][]> scenes = Map.of(FRONT, new byte[][] {video.get(300), video.get(500)},
                MIRROR, new byte[][] {mirror(video.get(300)), mirror(video.get(500))});
        component = start(config());
        component.install(strictPackage(STRICT));
        long modelBytes = Files.size(TestAssets.model());
        assertEquals(1, component.status().loadedModels());

        int perCamera = 40;
        Map<String, AtomicInteger> fed = new ConcurrentHashMap<>();
        Map<String, FramePool> pools = Map.of(FRONT, new FramePool(3, TestAssets.WIDTH, TestAssets.HEIGHT),
                MIRROR, new FramePool(3, TestAssets.WIDTH, TestAssets.HEIGHT));
        List<Thread> producers = new CopyOnWriteArrayList<>();
        for (String cam : List.of(FRONT, MIRROR)) {
            fed.put(cam, new AtomicInteger());
            Thread t = new Thread(() -> {
                for (int i = 0; i < perCamera; i++) {
                    long seq = i;
                    // paced like a camera at the detector's speed: the next frame comes when this camera's last one is done
                    try {
                        waitFor(() -> deliveredOf(cam) >= seq, 120_000);
                    } catch (InterruptedException e) {
                        return;
                    }
                    Frame f = TestAssets.frame(pools.get(cam), cam, i, scenes.get(cam)[i % 2]);
                    component.onMotion(new MotionResult(f, List.of(new Region(0, 0, f.width(), f.height())), 0.5, true,
                            MotionResult.State.MOTION, 1000));
                    f.release();
                    fed.get(cam).incrementAndGet();
                }
            }, "camera-" + cam);
            producers.add(t);
            t.start();
        }
        waitFor(() -> deliveredOf(FRONT) >= 6 && deliveredOf(MIRROR) >= 6, 120_000);
        // both cameras keep flowing while front's model loads beside the running one and swaps in
        ModelDescriptor d = component.activate(FRONT, STRICT);
        assertEquals(STRICT, d.version());
        long frontAtSwap = deliveredOf(FRONT);
        for (Thread t : producers) {
            t.join(300_000);
            assertFalse("producer " + t.getName() + " still running", t.isAlive());
        }
        waitFor(() -> deliveredOf(FRONT) >= perCamera && deliveredOf(MIRROR) >= perCamera, 120_000);

        // no frame of either camera lost or uncounted: every frame fed came out as detections, none dropped
        assertEquals(perCamera, fed.get(FRONT).get());
        assertEquals(perCamera, fed.get(MIRROR).get());
        assertEquals(perCamera, deliveredOf(FRONT));
        assertEquals(perCamera, deliveredOf(MIRROR));
        assertEquals(0, component.status().dropped());
        Set<Long> mirrorSeqs = new TreeSet<>();
        delivered.stream().filter(x -> x.cameraId().equals(MIRROR)).forEach(x -> mirrorSeqs.add(x.frameSequence()));
        assertEquals("every mirror frame once", perCamera, mirrorSeqs.size());

        // the mirror camera ran the default all along; front switched once, in frame order
        assertEquals(Set.of("base-oidv4"), versions(MIRROR));
        assertEquals(Set.of("base-oidv4", STRICT), versions(FRONT));
        long firstStrict = delivered.stream().filter(x -> x.cameraId().equals(FRONT) && x.modelVersion().equals(STRICT))
                .mapToLong(Detections::frameSequence).min().orElseThrow();
        assertTrue(delivered.stream().filter(x -> x.cameraId().equals(FRONT) && x.frameSequence() > firstStrict)
                .allMatch(x -> x.modelVersion().equals(STRICT)));
        assertTrue("front swapped while frames flowed (first strict frame " + firstStrict + ", " + frontAtSwap + " delivered at the swap)",
                firstStrict > 0 && firstStrict < perCamera - 1);
        // the strict model really is another model: front's people are all above its own threshold, the mirror's are not
        assertTrue(delivered.stream().filter(x -> x.cameraId().equals(FRONT) && x.modelVersion().equals(STRICT))
                .flatMap(x -> x.detections().stream()).filter(x -> x.label().equals("Person")).allMatch(x -> x.score() >= STRICT_PERSON));
        assertTrue(delivered.stream().filter(x -> x.cameraId().equals(MIRROR) && x.frameSequence() > firstStrict)
                .flatMap(x -> x.detections().stream()).anyMatch(x -> x.label().equals("Person") && x.score() < STRICT_PERSON));

        // status and registry name each camera's model; memory is two models' weights
        DetectorStatus s = component.status();
        assertEquals("base-oidv4", s.modelVersion());
        assertEquals(Map.of(FRONT, STRICT), s.cameraModels());
        assertEquals(STRICT, s.modelVersion(FRONT));
        assertEquals("base-oidv4", s.modelVersion(MIRROR));
        assertEquals(2, s.loadedModels());
        assertEquals(2 * modelBytes, s.loadedModelBytes());
        assertEquals("base-oidv4", component.active().orElseThrow().version());
        assertEquals(STRICT, component.active(FRONT).orElseThrow().version());
        assertEquals("base-oidv4", component.active(MIRROR).orElseThrow().version());
        assertEquals(Map.of(FRONT, STRICT), component.cameraModels());

        component.deactivate();
        component = null;
        for (FramePool p : pools.values()) {
            assertEquals(3, p.available());
        }
        System.out.printf("per-camera swap: %d frames per camera delivered, 0 dropped; front switched to %s at frame %d, mirror stayed on base-oidv4%n",
                perCamera, STRICT, firstStrict);
    }

    private Set<String> versions(String camera) {
        Set<String> v = new TreeSet<>();
        delivered.stream().filter(x -> x.cameraId().equals(camera)).forEach(x -> v.add(x.modelVersion()));
        return v;
    }

    @Test
    public void pinsPersistRollBackToTheDefaultAndAreBounded() throws Exception {
        Map<String, Object> c = config();
        c.put("max_models", 2);
        component = start(c);
        component.install(strictPackage(STRICT));
        component.install(strictPackage("lot-v1"));
        component.activate(FRONT, STRICT);
        // a version already loaded is shared: two cameras on one version hold one model
        component.activate(MIRROR, STRICT);
        assertEquals(2, component.status().loadedModels());
        try {
            component.activate(MIRROR, "lot-v1");
            fail("a third model in memory was allowed with max.models 2");
        } catch (ModelException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("max.models 2"));
        }
        assertEquals(STRICT, component.active(MIRROR).orElseThrow().version());

        // kept across a restart (with room for a third model now)
        component.deactivate();
        c.put("max_models", 3);
        component = start(c);
        waitFor(() -> component.status().cameraModels().size() == 2, 60_000);
        assertEquals(Map.of(FRONT, STRICT, MIRROR, STRICT), component.status().cameraModels());

        // the gateway default moves, cameras with their own model stay
        component.activate(FRONT, "lot-v1");
        assertEquals(Map.of(FRONT, "lot-v1", MIRROR, STRICT), component.cameraModels());
        assertEquals(STRICT, component.rollback(FRONT).version());
        // no earlier own model: back to the default
        assertEquals("base-oidv4", component.rollback(MIRROR).version());
        assertEquals(Map.of(FRONT, STRICT), component.cameraModels());
        assertEquals("base-oidv4", component.rollback(FRONT).version());
        assertEquals(Map.of(), component.status().cameraModels());
        assertEquals(1, component.status().loadedModels());
        try {
            component.rollback(FRONT);
            fail("rollback of a camera on the default");
        } catch (ModelException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("no model of its own"));
        }
        // the detector now serves front with the default
        FramePool pool = new FramePool(1, TestAssets.WIDTH, TestAssets.HEIGHT);
        Frame f = TestAssets.frame(pool, FRONT, 1, TestAssets.frames(300).get(300));
        try {
            assertEquals("base-oidv4", component.detect(f, List.of()).modelVersion());
        } finally {
            f.release();
        }
    }

    @Test
    public void configuredPinsApplyWhenTheSettingChangesAndLeaveCommandPinsAlone() throws Exception {
        component = start(config());
        component.install(strictPackage(STRICT));
        Map<String, Object> c = config();
        c.put("camera_models", new String[] {MIRROR + "=" + STRICT});
        component.modified(Configs.detector(new HashMap<>(c)));
        waitFor(() -> component.cameraModels().equals(Map.of(MIRROR, STRICT)), 60_000);
        // a command pins the mirror back to the base model; a restart with the same setting keeps the command's pin
        component.activate(MIRROR, "base-oidv4");
        component.deactivate();
        component = start(c);
        waitFor(() -> component.status().cameraModels().equals(Map.of(MIRROR, "base-oidv4")), 60_000);
        // the setting changes: applied
        c.put("camera_models", new String[] {MIRROR + "=default", FRONT + "=" + STRICT});
        component.modified(Configs.detector(new HashMap<>(c)));
        waitFor(() -> component.cameraModels().equals(Map.of(FRONT, STRICT)), 60_000);
        assertEquals(Map.of(FRONT, STRICT), component.status().cameraModels());
        try {
            DetectorComponent.cameraModels(Configs.detector(Map.of("camera_models", new String[] {"front"})));
            fail("an entry without a version was accepted");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("camera=version"));
        }
    }

    @Test
    public void aStateFileFromBeforePerCameraModelsLoads() throws Exception {
        Path root = tmp.getRoot().toPath().resolve("old");
        try (SharedDetector detector = new SharedDetector("javacpp", EngineOptions.cpu(2), DetectorSettings.defaults())) {
            FileModelRegistry seeded = new FileModelRegistry(root, new PackageVerifier(null), detector);
            seeded.seedIfEmpty(TestAssets.dir());
            seeded.install(strictPackage(STRICT));
            // the state file as written before per-camera models
            Files.writeString(root.resolve("state.json"), "{\"active\": \"" + STRICT + "\", \"history\": [\"base-oidv4\"]}\n",
                    StandardCharsets.UTF_8);
            FileModelRegistry r = new FileModelRegistry(root, new PackageVerifier(null), detector);
            assertEquals(STRICT, r.activeVersion().orElseThrow());
            assertEquals(List.of("base-oidv4"), r.history());
            assertEquals(Map.of(), r.cameraModels());
            assertEquals(STRICT, r.activateAtStartup().orElseThrow().version());
            assertEquals(STRICT, r.activeVersion(FRONT).orElseThrow());
            r.activate(FRONT, "base-oidv4");
            String written = Files.readString(root.resolve("state.json"), StandardCharsets.UTF_8);
            assertTrue(written, written.contains("\"cameras\""));
            FileModelRegistry reopened = new FileModelRegistry(root, new PackageVerifier(null), detector);
            assertEquals(STRICT, reopened.activeVersion().orElseThrow());
            assertEquals(Map.of(FRONT, "base-oidv4"), reopened.cameraModels());
            assertEquals("base-oidv4", reopened.rollback().version());
        }
    }
}

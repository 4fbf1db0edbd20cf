package io.edgetune.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.edgetune.api.frame.CameraService;
import io.edgetune.api.frame.CameraStatus;
import io.edgetune.api.frame.Frame;
import io.edgetune.api.frame.FrameListener;
import io.edgetune.api.motion.MotionListener;
import io.edgetune.api.motion.MotionResult;
import java.io.File;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import javax.inject.Inject;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.tensorflowlite.global.tensorflowlite;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * The gateway runtime, booted in Felix with exactly the bundles bnd resolved
 * for it, running one camera on the real sample video.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class GatewayRuntimeTest {

    private static final String CAMERA = "itest";
    private static final long WAIT_MS = 30_000;
    private static final java.util.Set<String> LIBRARIES = java.util.Set.of("io.edgetune.api", "io.edgetune.kura.api",
            "io.edgetune.bytedeco");

    @Inject
    BundleContext context;

    @Inject
    ConfigurationAdmin configAdmin;

    @Inject
    ServiceComponentRuntime scr;

    private final AtomicLong frames = new AtomicLong();
    private final AtomicLong motionResults = new AtomicLong();
    private final AtomicLong detections = new AtomicLong();
    private final AtomicLong uploads = new AtomicLong();
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    private org.osgi.service.cm.Configuration camera;

    @Configuration
    public Option[] config() {
        return RuntimeBundles.options(bsn -> true);
    }

    @Before
    public void startCameraOnTheSampleVideo() throws Exception {
        File video = new File(System.getProperty("edgetune.assets"), "vtest.avi");
        assertTrue("sample video missing: " + video + " (run features/assets/fetch-assets.sh)", video.isFile());

        Dictionary<String, Object> listenerProps = new Hashtable<>();
        listenerProps.put(FrameListener.CAMERA_ID, CAMERA);
        registrations.add(context.registerService(FrameListener.class, f -> frames.incrementAndGet(), listenerProps));
        registrations.add(context.registerService(io.edgetune.api.detect.DetectionListener.class, (d, f) -> {
            if (CAMERA.equals(d.cameraId()) && !d.detections().isEmpty()) {
                detections.incrementAndGet();
            }
        }, null));
        // the uploader's default detections publisher: counts what would go to the cloud
        Hashtable<String, Object> pub = new Hashtable<>();
        pub.put("kura.service.pid", "edgetune-detections");
        registrations.add(context.registerService(org.eclipse.kura.cloudconnection.publisher.CloudPublisher.class,
                CountingPublisher.counting(uploads), pub));
        registrations.add(context.registerService(MotionListener.class, r -> {
            if (CAMERA.equals(r.frame().cameraId())) {
                motionResults.incrementAndGet();
            }
        }, null));

        // every EdgeTune component needs a configuration (configuration-policy require, as on Kura)
        for (String pid : List.of("io.edgetune.inference.Detector", "io.edgetune.uploader.Uploader",
                "io.edgetune.commands.Commands", "io.edgetune.console.Console", "io.edgetune.cloud.mqtt.Connection")) {
            org.osgi.service.cm.Configuration singleton = configAdmin.getConfiguration(pid, "?");
            if (singleton.getProperties() == null) {
                singleton.update(new Hashtable<>(Map.of("kura.service.pid", pid)));
            }
        }

        camera = configAdmin.createFactoryConfiguration("io.edgetune.capture.Camera", "?");
        Hashtable<String, Object> c = new Hashtable<>();
        c.put("camera.id", CAMERA);
        c.put("source.uri", video.getAbsolutePath());
        c.put("file.loop", Boolean.TRUE);
        c.put("file.realtime", Boolean.TRUE);
        c.put("target.fps", 10);
        camera.update(c);

        org.osgi.service.cm.Configuration motion = configAdmin.createFactoryConfiguration("io.edgetune.motion.MotionDetector", "?");
        Hashtable<String, Object> m = new Hashtable<>();
        m.put("camera.id", CAMERA);
        motion.update(m);

        awaitFlowing("camera configured through ConfigAdmin");
    }

    @After
    public void stopCamera() throws Exception {
        for (ServiceRegistration<?> r : registrations) {
            try {
                r.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the probe bundle may have been refreshed
            }
        }
        // ConfigAdmin may have been restarted by a test: look it up afresh
        ServiceReference<ConfigurationAdmin> ref = context.getServiceReference(ConfigurationAdmin.class);
        org.osgi.service.cm.Configuration[] ours = context.getService(ref).listConfigurations("(camera.id=" + CAMERA + ")");
        if (ours != null) {
            for (org.osgi.service.cm.Configuration c : ours) {
                c.delete();
            }
        }
    }

    @Test
    public void everyBundleIsActiveAndEveryFragmentAttached() {
        List<String> problems = bundleProblems(null);
        assertTrue(problems.toString(), problems.isEmpty());
        long edgetune = 0;
        for (Bundle b : context.getBundles()) {
            if (b.getSymbolicName().startsWith("io.edgetune.")) {
                edgetune++;
            }
        }
        assertTrue("EdgeTune bundles installed: " + edgetune, edgetune >= 8);
    }

    @Test
    public void everyConfiguredComponentIsSatisfied() {
        List<String> problems = componentProblems();
        assertTrue(problems.toString(), problems.isEmpty());
        // the camera and motion factories each have the configuration made above
        assertTrue(configuredInstances("io.edgetune.capture.Camera") >= 1);
        assertTrue(configuredInstances("io.edgetune.motion.MotionDetector") >= 1);
        assertTrue(configuredInstances("io.edgetune.inference.Detector") >= 1);
    }

    /** JavaCPP must find the natives through the fragment inside OSGi, not from the class path; OpenCV runs on one thread. */
    @Test
    public void nativeLibrariesLoadInsideOsgi() {
        assertEquals(bundle("io.edgetune.bytedeco"), FrameworkUtil.getBundle(Loader.class));
        assertNotNull(Loader.load(opencv_core.class));
        try (Mat m = new Mat(4, 4, opencv_core.CV_8UC1)) {
            assertEquals(16, m.total());
        }
        // the bytedeco bundle's activator: OpenCV's pool workers spin between the stages' small calls
        assertEquals("OpenCV threads (edgetune.opencv.threads, default 1)", 1, opencv_core.getNumThreads());
        assertNotNull(Loader.load(tensorflowlite.class));
        assertTrue(tensorflowlite.TfLiteVersion().getString().startsWith("2.20"));
    }

    @Test
    public void configurationChangeReachesTheCamera() throws Exception {
        Hashtable<String, Object> c = copy(camera.getProperties());
        c.put("enabled", Boolean.FALSE);
        camera.update(c);
        await("camera stopped after enabled=false", () -> cameraState() == CameraStatus.State.STOPPED);
        long before = frames.get();
        Thread.sleep(1000);
        assertTrue("frames kept coming from a disabled camera", frames.get() - before <= 2);

        c.put("enabled", Boolean.TRUE);
        camera.update(c);
        awaitFlowing("camera enabled again");
        assertEquals(CameraStatus.State.RUNNING, cameraState());
    }

    /**
     * Every bundle stopped and started again while the camera runs; each of
     * EdgeTune's stage bundles (all but the API and library bundles this test
     * imports) is also updated to a new bundle version and refreshed. After
     * each, frames, motion results, detections and uploads flow again.
     */
    @Test
    public void everyBundleStoppedUpdatedAndStartedWhileThePipelineRuns() throws Exception {
        List<Bundle> targets = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            boolean fragment = RuntimeBundles.isFragment(b);
            if (b.getBundleId() != 0 && !fragment && b != context.getBundle() && !b.getSymbolicName().startsWith("org.ops4j")
                    && !b.getSymbolicName().startsWith("org.apache.servicemix") && !b.getSymbolicName().contains("junit")
                    && !b.getSymbolicName().contains("hamcrest") && !b.getSymbolicName().contains("atinject")) {
                targets.add(b);
            }
        }
        assertTrue(targets.size() > 20);
        awaitDetectionsAndUploads("before any restart");
        int updated = 0;
        for (Bundle b : targets) {
            String name = b.getSymbolicName();
            // the library bundles are stopped and started, not updated: this test imports their packages (an update
            // needs a refresh, which would restart the test), and a refreshed bytedeco would load the same JNI
            // libraries into a second class loader, which the JVM refuses. Every stage bundle is updated.
            boolean ours = name.startsWith("io.edgetune.") && !LIBRARIES.contains(name);
            System.out.println("itest: " + (ours ? "updating " : "restarting ") + name);
            b.stop();
            List<String> others = bundleProblems(b);
            assertTrue("after stopping " + name + ": " + others, others.isEmpty());
            if (!name.equals("io.edgetune.capture") && !name.equals("org.apache.felix.scr")
                    && !name.equals("org.apache.felix.configadmin") && !name.equals("io.edgetune.api")) {
                long before = frames.get();
                await("frames still flow while " + name + " is stopped", () -> frames.get() > before + 3);
            }
            if (ours) {
                org.osgi.framework.Version old = b.getVersion();
                b.update(BundleUpdates.withNewVersion(b, ++updated));
                assertTrue(name + " has a new version", b.getVersion().compareTo(old) > 0);
                BundleUpdates.refresh(context, b);
            }
            if (b.getState() != Bundle.ACTIVE) {
                b.start();
            }
            assertEquals(name + " restarted", Bundle.ACTIVE, b.getState());
            awaitFlowing("after restarting " + name);
            awaitDetectionsAndUploads("after " + (ours ? "updating " : "restarting ") + name);
            List<String> problems = componentProblems();
            assertTrue("after restarting " + name + ": " + problems, problems.isEmpty());
        }
        assertTrue("EdgeTune bundles updated: " + updated, updated >= 6);
    }

    /**
     * Two hot swaps (base -> a different model -> base) while the camera runs
     * unpaced (as fast as it decodes): every frame the motion stage sends to
     * the detector comes out as detections or is counted as dropped.
     */
    @Test
    public void hotSwapsUnderUnpacedLoadLoseNoFrameUncounted() throws Exception {
        ServiceReference<io.edgetune.api.model.ModelRegistry> rr = context.getServiceReference(io.edgetune.api.model.ModelRegistry.class);
        ServiceReference<io.edgetune.api.detect.DetectorService> dr = context.getServiceReference(io.edgetune.api.detect.DetectorService.class);
        assertNotNull(rr);
        assertNotNull(dr);
        io.edgetune.api.model.ModelRegistry registry = context.getService(rr);
        io.edgetune.api.detect.DetectorService detector = context.getService(dr);
        await("a model is active", () -> registry.active().isPresent());
        String base = registry.active().get().version();
        String other = "itest-swap-" + System.nanoTime();
        registry.install(SwapModels.differentPackage(java.nio.file.Paths.get(System.getProperty("edgetune.assets")), other));

        AtomicLong in = new AtomicLong();
        AtomicLong out = new AtomicLong();
        java.util.Set<String> versionsSeen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        ServiceRegistration<MotionListener> counterIn = context.registerService(MotionListener.class, r -> {
            if (CAMERA.equals(r.frame().cameraId()) && r.needsInference()) {
                in.incrementAndGet();
            }
        }, null);
        ServiceRegistration<io.edgetune.api.detect.DetectionListener> counterOut = context.registerService(
                io.edgetune.api.detect.DetectionListener.class, (d, f) -> {
                    if (CAMERA.equals(d.cameraId())) {
                        out.incrementAndGet();
                        versionsSeen.add(d.modelVersion());
                    }
                }, null);
        try {
            long droppedBefore = detector.status().dropped();
            long inBefore = in.get();
            Hashtable<String, Object> unpaced = copy(camera.getProperties());
            unpaced.put("file.realtime", Boolean.FALSE);
            unpaced.put("target.fps", 0);
            camera.update(unpaced);
            await("frames reach the detector unpaced", () -> in.get() > inBefore + 50);
            registry.activate(other);
            await("detections from the swapped-in model", () -> versionsSeen.contains(other));
            registry.activate(base);
            long afterSwap = out.get();
            await("detections after swapping back", () -> out.get() > afterSwap + 20);

            Hashtable<String, Object> stopped = copy(camera.getProperties());
            stopped.put("enabled", Boolean.FALSE);
            camera.update(stopped);
            await("the detector queue drains", () -> detector.status().queueDepth() == 0);
            Thread.sleep(500); // the frame in the worker's hands
            long dropped = detector.status().dropped() - droppedBefore;
            long sent = in.get() - inBefore;
            long delivered = out.get();
            System.out.printf("hot swap under unpaced load: %d frames to the detector, %d with detections, %d dropped and counted%n",
                    sent, delivered, dropped);
            assertTrue("both models served: " + versionsSeen, versionsSeen.contains(other) && versionsSeen.contains(base));
            assertTrue("unpaced load must make the detector drop (else the test proves nothing): " + dropped, dropped > 0);
            assertEquals("every frame in is a detection out or a counted drop", sent, delivered + dropped);
        } finally {
            counterIn.unregister();
            counterOut.unregister();
            if (!base.equals(registry.active().map(io.edgetune.api.model.ModelDescriptor::version).orElse(base))) {
                registry.activate(base);
            }
            context.ungetService(rr);
            context.ungetService(dr);
        }
    }

    /**
     * Per-camera models in the running gateway: a second camera plays the sample video too, both unpaced; a
     * different model is activated for the first camera only while both run. The second camera keeps the
     * default model on every frame, and every frame either camera sends to the detector comes out as
     * detections or is counted as dropped.
     */
    @Test
    public void aModelForOneCameraLeavesTheOtherCamerasModelAndCountsEveryFrame() throws Exception {
        String other = "itest-b";
        ServiceReference<io.edgetune.api.model.ModelRegistry> rr = context.getServiceReference(io.edgetune.api.model.ModelRegistry.class);
        ServiceReference<io.edgetune.api.detect.DetectorService> dr = context.getServiceReference(io.edgetune.api.detect.DetectorService.class);
        io.edgetune.api.model.ModelRegistry registry = context.getService(rr);
        io.edgetune.api.detect.DetectorService detector = context.getService(dr);
        await("a model is active", () -> registry.active().isPresent());
        String base = registry.active().get().version();
        String own = "itest-cam-" + System.nanoTime();
        registry.install(SwapModels.differentPackage(java.nio.file.Paths.get(System.getProperty("edgetune.assets")), own));

        Map<String, AtomicLong> in = Map.of(CAMERA, new AtomicLong(), other, new AtomicLong());
        Map<String, AtomicLong> out = Map.of(CAMERA, new AtomicLong(), other, new AtomicLong());
        Map<String, java.util.Set<String>> versions = Map.of(CAMERA, java.util.concurrent.ConcurrentHashMap.newKeySet(),
                other, java.util.concurrent.ConcurrentHashMap.newKeySet());
        ServiceRegistration<MotionListener> counterIn = context.registerService(MotionListener.class, r -> {
            AtomicLong n = in.get(r.frame().cameraId());
            if (n != null && r.needsInference()) {
                n.incrementAndGet();
            }
        }, null);
        ServiceRegistration<io.edgetune.api.detect.DetectionListener> counterOut = context.registerService(
                io.edgetune.api.detect.DetectionListener.class, (d, f) -> {
                    AtomicLong n = out.get(d.cameraId());
                    if (n != null) {
                        n.incrementAndGet();
                        versions.get(d.cameraId()).add(d.modelVersion());
                    }
                }, null);
        org.osgi.service.cm.Configuration second = configAdmin.createFactoryConfiguration("io.edgetune.capture.Camera", "?");
        org.osgi.service.cm.Configuration secondMotion = configAdmin.createFactoryConfiguration("io.edgetune.motion.MotionDetector", "?");
        try {
            Hashtable<String, Object> b = copy(camera.getProperties());
            b.remove("service.pid");
            b.remove("service.factoryPid");
            b.put("camera.id", other);
            b.put("file.realtime", Boolean.FALSE);
            b.put("target.fps", 0);
            second.update(b);
            secondMotion.update(new Hashtable<>(Map.of("camera.id", other)));
            long droppedBefore = detector.status().dropped();
            Hashtable<String, Object> unpaced = copy(camera.getProperties());
            unpaced.put("file.realtime", Boolean.FALSE);
            unpaced.put("target.fps", 0);
            camera.update(unpaced);
            long inA = in.get(CAMERA).get();
            long inB = in.get(other).get();
            // counting starts once both flow; what was queued before is part of neither side of the balance
            await("both cameras reach the detector unpaced", () -> in.get(CAMERA).get() > inA + 30 && in.get(other).get() > inB + 30);
            registry.activate(CAMERA, own);
            await("detections of the first camera from its own model", () -> versions.get(CAMERA).contains(own));
            long afterSwap = out.get(other).get();
            await("the second camera keeps flowing after the swap", () -> out.get(other).get() > afterSwap + 20);

            second.delete();
            secondMotion.delete();
            Hashtable<String, Object> stopped = copy(camera.getProperties());
            stopped.put("enabled", Boolean.FALSE);
            camera.update(stopped);
            await("the detector queue drains", () -> detector.status().queueDepth() == 0);
            Thread.sleep(500); // the frame in the worker's hands
            long dropped = detector.status().dropped() - droppedBefore;
            long sent = in.get(CAMERA).get() + in.get(other).get();
            long delivered = out.get(CAMERA).get() + out.get(other).get();
            System.out.printf("per-camera swap under unpaced load, two cameras: %d frames to the detector (%d of %s), %d with detections, "
                    + "%d dropped and counted; %s ran %s, %s ran %s%n", sent, in.get(other).get(), other, delivered, dropped,
                    CAMERA, versions.get(CAMERA), other, versions.get(other));
            assertEquals("the second camera ran the default model on every frame", java.util.Set.of(base), versions.get(other));
            assertEquals(java.util.Set.of(base, own), versions.get(CAMERA));
            assertEquals(Map.of(CAMERA, own), registry.cameraModels());
            assertEquals(base, registry.active().orElseThrow().version());
            assertEquals(own, detector.status().modelVersion(CAMERA));
            assertEquals(2, detector.status().loadedModels());
            assertEquals("every frame in is a detection out or a counted drop", sent, delivered + dropped);
        } finally {
            counterIn.unregister();
            counterOut.unregister();
            try {
                second.delete();
                secondMotion.delete();
            } catch (IllegalStateException alreadyDeleted) {
                // deleted above
            }
            if (!registry.cameraModels().isEmpty()) {
                registry.rollback(CAMERA);
            }
            context.ungetService(rr);
            context.ungetService(dr);
        }
    }

    private void awaitDetectionsAndUploads(String why) throws InterruptedException {
        long d = detections.get();
        long u = uploads.get();
        await(why + ": detections and uploads flow", () -> detections.get() > d + 2 && uploads.get() > u + 1);
    }

    private void awaitFlowing(String why) throws InterruptedException {
        long f = frames.get();
        long m = motionResults.get();
        await(why + ": frames and motion results flow", () -> frames.get() > f + 5 && motionResults.get() > m + 5);
    }

    private CameraStatus.State cameraState() {
        CameraStatus s = cameraStatus();
        return s == null ? null : s.state();
    }

    private List<String> bundleProblems(Bundle ignored) {
        List<String> problems = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            if (b == ignored) {
                continue;
            }
            boolean fragment = RuntimeBundles.isFragment(b);
            int expected = fragment ? Bundle.RESOLVED : Bundle.ACTIVE;
            if (b.getState() != expected) {
                problems.add(b.getSymbolicName() + " is in state " + b.getState() + ", expected " + expected);
            }
        }
        return problems;
    }

    /** Components that have a configuration (or need none) must be satisfied or active. */
    private List<String> componentProblems() {
        List<String> problems = new ArrayList<>();
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
            if (!scr.isComponentEnabled(d)) {
                problems.add(d.name + " is disabled");
                continue;
            }
            for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                if (c.state != ComponentConfigurationDTO.SATISFIED && c.state != ComponentConfigurationDTO.ACTIVE) {
                    problems.add(d.name + " (" + d.bundle.symbolicName + ") is in state " + c.state
                            + (c.failure == null ? "" : ": " + c.failure));
                }
            }
        }
        return problems;
    }

    private int configuredInstances(String componentName) {
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
            if (d.name.equals(componentName)) {
                int n = 0;
                for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                    if (c.state == ComponentConfigurationDTO.SATISFIED || c.state == ComponentConfigurationDTO.ACTIVE) {
                        n++;
                    }
                }
                return n;
            }
        }
        fail("no component named " + componentName);
        return 0;
    }

    private static Hashtable<String, Object> copy(Dictionary<String, Object> d) {
        Hashtable<String, Object> h = new Hashtable<>();
        for (java.util.Enumeration<String> e = d.keys(); e.hasMoreElements();) {
            String k = e.nextElement();
            h.put(k, d.get(k));
        }
        return h;
    }

    private void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + WAIT_MS;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                fail("timed out waiting: " + what + "; cameras " + allCameraStatuses() + "; frames " + frames.get()
                        + ", motion results " + motionResults.get() + pipelineThreads());
            }
            Thread.sleep(50);
        }
    }

    private CameraStatus cameraStatus() {
        for (CameraStatus s : allCameraStatuses()) {
            if (CAMERA.equals(s.cameraId())) {
                return s;
            }
        }
        return null;
    }

    private List<CameraStatus> allCameraStatuses() {
        List<CameraStatus> all = new ArrayList<>();
        try {
            for (ServiceReference<CameraService> r : context.getServiceReferences(CameraService.class, null)) {
                CameraService s = context.getService(r);
                if (s != null) {
                    all.add(s.status());
                }
            }
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new AssertionError(e);
        }
        return all;
    }

    /** Where EdgeTune's threads are, for a failure message that explains a stall. */
    private static String pipelineThreads() {
        StringBuilder b = new StringBuilder();
        Thread.getAllStackTraces().forEach((t, stack) -> {
            if (t.getName().startsWith("edgetune")) {
                b.append(System.lineSeparator()).append(t.getName()).append(' ').append(t.getState());
                for (int i = 0; i < Math.min(8, stack.length); i++) {
                    b.append(System.lineSeparator()).append("    at ").append(stack[i]);
                }
            }
        });
        return b.toString();
    }

    Bundle bundle(String bsn) {
        for (Bundle b : context.getBundles()) {
            if (bsn.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("bundle " + bsn + " is not installed");
    }
}

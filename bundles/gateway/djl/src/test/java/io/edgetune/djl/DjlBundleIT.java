package io.edgetune.djl;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import io.edgetune.api.detect.Detection;
import io.edgetune.api.detect.DetectionException;
import io.edgetune.api.detect.DetectorService;
import io.edgetune.api.detect.DetectorStatus;
import io.edgetune.api.detect.Detections;
import io.edgetune.api.frame.Frame;
import io.edgetune.testsupport.Assets;
import io.edgetune.testsupport.FelixRuntime;
import java.io.File;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * The packaged DJL bundle in a real Felix framework with SCR, ConfigAdmin, the
 * bytedeco bundle and its linux-x86_64 natives, Kura API and the inference
 * bundle configured with backend=djl. The inference bundle first runs without
 * DJL (its optional imports stay unwired); the DJL bundle is then added to the
 * running framework and the inference bundle refreshed, after which the
 * detector loads the real model through DJL and finds the people on a real
 * frame of vtest.avi, also after the inference bundle was restarted.
 *
 * The EdgeTune API packages are exported by the system bundle from this test's
 * class path (with the versions of the api bundle's own manifest), so the test
 * talks to DetectorService with the same classes the inference bundle uses.
 */
public class DjlBundleIT {

    private static final int FRAME_INDEX = 300;

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void inferenceBundleDetectsPeopleWithTheDjlBackendInFelix() throws Exception {
        String apiExports;
        try (JarFile api = new JarFile(FelixRuntime.edgetune("io.edgetune.api"))) {
            apiExports = api.getManifest().getMainAttributes().getValue(Constants.EXPORT_PACKAGE);
        }
        FelixRuntime felix = FelixRuntime.start(tmp.newFolder("felix").toPath(),
                Map.of(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, apiExports));
        try {
            BundleContext ctx = felix.context();
            List<File> runtime = new ArrayList<>(FelixRuntime.declarativeServices());
            runtime.add(FelixRuntime.edgetune("io.edgetune.kura.api"));
            // the model package format the inference bundle's registry reads packages with, and its Gson
            runtime.add(FelixRuntime.artifact("com.google.code.gson", "gson", "2.9.0"));
            runtime.add(FelixRuntime.edgetune("io.edgetune.model.pkg"));
            runtime.add(FelixRuntime.edgetune("io.edgetune.bytedeco"));
            runtime.add(FelixRuntime.edgetune("io.edgetune.bytedeco.natives.linux-x86_64"));
            // by reference: the natives fragment is large, no need to copy it into the cache
            felix.installAndStart(runtime, true);
            felix.configure("io.edgetune.inference.Detector", Map.of("backend", "djl", "mode", "full_frame", "use.edgetpu", false,
                    "threads", 2, "model.dir", tmp.newFolder("models").getAbsolutePath(), "assets.dir", Assets.dir().toString()));
            Bundle inference = felix.install(FelixRuntime.edgetune("io.edgetune.inference"), true);
            inference.start();
            // a gateway without DJL: the optional imports stay unwired (backend=djl logs "not available")
            assertEquals(Bundle.ACTIVE, inference.getState());
            assertTrue("no ai.djl wire without the DJL bundle", djlWires(inference).isEmpty());

            // the optional bundle added to the running framework; the inference bundle picks it up on refresh
            Bundle djl = felix.install(FelixRuntime.builtBundle("io.edgetune.djl"), true);
            djl.start();
            assertEquals("io.edgetune.djl", djl.getSymbolicName());
            assertEquals(Bundle.ACTIVE, djl.getState());
            CountDownLatch refreshed = new CountDownLatch(1);
            felix.framework().adapt(FrameworkWiring.class).refreshBundles(List.of(inference), e -> {
                if (e.getType() == FrameworkEvent.PACKAGES_REFRESHED) {
                    refreshed.countDown();
                }
            });
            assertTrue("inference bundle refreshed", refreshed.await(60, TimeUnit.SECONDS));
            assertEquals(Bundle.ACTIVE, inference.getState());
            assertDjlWiredFrom(inference, djl);

            Frame frame = decodeFrame(felix.bundle("io.edgetune.bytedeco"), FRAME_INDEX);
            assertPersonFoundByDjl(ctx, frame, "DJL bundle added, inference refreshed");

            // a restarted inference bundle loads the model again through the same DJL class loader
            inference.stop();
            inference.start();
            assertPersonFoundByDjl(ctx, frame, "inference restarted");
        } finally {
            felix.close();
        }
    }

    /** Every ai.djl and org.tensorflow.lite import of the inference bundle must come from the DJL bundle. */
    private static void assertDjlWiredFrom(Bundle inference, Bundle djl) {
        List<String> wired = new ArrayList<>();
        for (BundleWire w : djlWires(inference)) {
            String pkg = (String) w.getCapability().getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE);
            assertEquals(pkg + " provider", djl, w.getProvider().getBundle());
            wired.add(pkg);
        }
        String imports = inference.getHeaders().get(Constants.IMPORT_PACKAGE);
        for (String clause : imports.split(",(?=[a-z])")) {
            String pkg = clause.split(";")[0];
            if (pkg.startsWith("ai.djl") || pkg.startsWith("org.tensorflow.lite")) {
                assertTrue(pkg + " imported but not wired (wired: " + wired + ")", wired.contains(pkg));
            }
        }
        assertTrue("ai.djl wired", wired.contains("ai.djl"));
    }

    private static List<BundleWire> djlWires(Bundle inference) {
        BundleWiring wiring = inference.adapt(BundleWiring.class);
        assertNotNull("inference bundle resolved", wiring);
        List<BundleWire> out = new ArrayList<>();
        for (BundleWire w : wiring.getRequiredWires(PackageNamespace.PACKAGE_NAMESPACE)) {
            String pkg = (String) w.getCapability().getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE);
            if (pkg.startsWith("ai.djl") || pkg.startsWith("org.tensorflow.lite")) {
                out.add(w);
            }
        }
        return out;
    }

    /**
     * Decodes one frame with JavaCV from inside the framework (the bytedeco
     * bundle owns the FFmpeg natives; loading them a second time from the test's
     * class path would clash), through reflection on its public API.
     */
    private static Frame decodeFrame(Bundle bytedeco, int index) throws Exception {
        Class<?> grabberType = bytedeco.loadClass("org.bytedeco.javacv.FFmpegFrameGrabber");
        int bgr24 = bytedeco.loadClass("org.bytedeco.ffmpeg.global.avutil").getField("AV_PIX_FMT_BGR24").getInt(null);
        Object grabber = grabberType.getConstructor(File.class).newInstance(Assets.video().toFile());
        try {
            grabberType.getMethod("setPixelFormat", int.class).invoke(grabber, bgr24);
            grabberType.getMethod("start").invoke(grabber);
            Method grabImage = grabberType.getMethod("grabImage");
            Object f = null;
            for (int i = 0; i <= index; i++) {
                f = grabImage.invoke(grabber);
                assertNotNull("vtest.avi has frame " + i, f);
            }
            Class<?> ft = f.getClass();
            int w = ft.getField("imageWidth").getInt(f);
            int h = ft.getField("imageHeight").getInt(f);
            int stride = ft.getField("imageStride").getInt(f);
            ByteBuffer src = (ByteBuffer) ((java.nio.Buffer[]) ft.getField("image").get(f))[0];
            ByteBuffer dst = ByteBuffer.allocateDirect(w * h * Frame.CHANNELS);
            byte[] row = new byte[w * Frame.CHANNELS];
            for (int y = 0; y < h; y++) {
                src.position(y * stride);
                src.get(row);
                dst.put(row);
            }
            dst.clear();
            return new Frame(dst, null).fill("cam", index, 0L, System.nanoTime(), w, h);
        } finally {
            grabberType.getMethod("close").invoke(grabber);
        }
    }

    private static String services(BundleContext ctx) throws Exception {
        StringBuilder sb = new StringBuilder();
        ServiceReference<?>[] refs = ctx.getAllServiceReferences(null, null);
        for (ServiceReference<?> r : refs == null ? new ServiceReference<?>[0] : refs) {
            sb.append(r.getBundle().getSymbolicName()).append(java.util.Arrays.toString((String[]) r.getProperty(Constants.OBJECTCLASS))).append(' ');
        }
        return sb.toString();
    }

    private static void assertPersonFoundByDjl(BundleContext ctx, Frame frame, String when) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        DetectorService detector = null;
        DetectorStatus status = null;
        while (System.nanoTime() < deadline) {
            // all references, as for ConfigurationAdmin; the cast below proves the classes are shared
            ServiceReference<?>[] refs = ctx.getAllServiceReferences(DetectorService.class.getName(), null);
            detector = refs == null ? null : (DetectorService) ctx.getService(refs[0]);
            status = detector == null ? null : detector.status();
            if (status != null && status.modelVersion() != null) {
                break;
            }
            Thread.sleep(200);
        }
        assertNotNull(when + ": DetectorService registered; services " + services(ctx), detector);
        assertNotNull(when + ": a model was loaded, status " + status, status.modelVersion());
        assertEquals(when + ": backend, status " + status, "djl-tflite", status.backend());

        Detections result;
        try {
            result = detector.detect(frame, List.of());
        } catch (DetectionException e) {
            throw new AssertionError(when + ": detect failed, status " + detector.status(), e);
        }
        assertEquals(when + ": detections come from DJL", "djl-tflite", result.backend());
        long people = result.detections().stream().filter(d -> d.label().equals("Person")).count();
        StringBuilder found = new StringBuilder();
        for (Detection d : result.detections()) {
            found.append(String.format(" %s %.2f", d.label(), d.score()));
        }
        System.out.printf("DJL in Felix (%s): frame %d, %d detections (%d Person) in %.1f ms inference:%s%n",
                when, FRAME_INDEX, result.detections().size(), people, result.inferenceNanos() / 1e6, found);
        assertTrue(when + ": a Person on frame " + FRAME_INDEX + ", found:" + found, people > 0);
    }
}

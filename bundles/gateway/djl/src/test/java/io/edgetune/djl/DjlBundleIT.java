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
import java.io.File;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.apache.felix.framework.FrameworkFactory;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
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

    private static final String VERSION = "0.1.0-SNAPSHOT";
    private static final int FRAME_INDEX = 300;

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static File artifact(String group, String artifact, String version) {
        if (group.equals("io.edgetune")) {
            // EdgeTune's own bundles come from this build (copied by maven-dependency-plugin)
            File f = Path.of(System.getProperty("edgetune.it.bundles", "target/it-bundles")).resolve(artifact + "-" + version + ".jar").toFile();
            assertTrue("missing " + f + " (run through mvn verify)", f.isFile());
            return f;
        }
        Path repo = Path.of(System.getProperty("maven.repo.local", System.getProperty("user.home") + "/.m2/repository"));
        File f = repo.resolve(group.replace('.', '/')).resolve(artifact).resolve(version)
                .resolve(artifact + "-" + version + ".jar").toFile();
        assertTrue("missing " + f + " (install that module first)", f.isFile());
        return f;
    }

    private static File builtBundle() throws Exception {
        try (var files = Files.list(Path.of("target"))) {
            return files.filter(p -> p.getFileName().toString().matches("io\\.edgetune\\.djl-.*\\.jar")
                            && !p.getFileName().toString().contains("tests"))
                    .findFirst().orElseThrow(() -> new AssertionError("run after package: no bundle jar in target/"))
                    .toFile();
        }
    }

    private static Path assets() {
        return Path.of(System.getProperty("edgetune.assets", System.getProperty("user.home") + "/.cache/edgetune"));
    }

    @Test
    public void inferenceBundleDetectsPeopleWithTheDjlBackendInFelix() throws Exception {
        String apiExports;
        try (JarFile api = new JarFile(artifact("io.edgetune", "io.edgetune.api", VERSION))) {
            apiExports = api.getManifest().getMainAttributes().getValue(Constants.EXPORT_PACKAGE);
        }
        Map<String, String> props = new HashMap<>();
        props.put(Constants.FRAMEWORK_STORAGE, tmp.newFolder("felix").getAbsolutePath());
        props.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        props.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, apiExports);
        Framework fw = new FrameworkFactory().newFramework(props);
        fw.start();
        try {
            BundleContext ctx = fw.getBundleContext();
            List<Bundle> bundles = new ArrayList<>();
            for (File f : new File[] {
                    artifact("org.osgi", "org.osgi.util.function", "1.2.0"),
                    artifact("org.osgi", "org.osgi.util.promise", "1.3.0"),
                    artifact("org.osgi", "org.osgi.service.component", "1.5.1"),
                    artifact("org.apache.felix", "org.apache.felix.configadmin", "1.9.26"),
                    artifact("org.apache.felix", "org.apache.felix.scr", "2.2.12"),
                    artifact("org.slf4j", "slf4j-api", "1.7.36"),
                    artifact("org.slf4j", "slf4j-simple", "1.7.36"),
                    artifact("io.edgetune", "io.edgetune.kura.api", VERSION),
                    // the model package format the inference bundle's registry reads packages with, and its Gson
                    artifact("com.google.code.gson", "gson", "2.9.0"),
                    artifact("io.edgetune", "io.edgetune.model.pkg", VERSION),
                    artifact("io.edgetune", "io.edgetune.bytedeco", VERSION),
                    artifact("io.edgetune", "io.edgetune.bytedeco.natives.linux-x86_64", VERSION)}) {
                // by reference: the natives fragment is large, no need to copy it into the cache
                bundles.add(ctx.installBundle("reference:" + f.toURI()));
            }
            for (Bundle b : bundles) {
                if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                    b.start();
                }
            }
            configureDetector(ctx);
            Bundle inference = ctx.installBundle("reference:" + artifact("io.edgetune", "io.edgetune.inference", VERSION).toURI());
            inference.start();
            // a gateway without DJL: the optional imports stay unwired (backend=djl logs "not available")
            assertEquals(Bundle.ACTIVE, inference.getState());
            assertTrue("no ai.djl wire without the DJL bundle", djlWires(inference).isEmpty());

            // the optional bundle added to the running framework; the inference bundle picks it up on refresh
            Bundle djl = ctx.installBundle("reference:" + builtBundle().toURI());
            djl.start();
            assertEquals("io.edgetune.djl", djl.getSymbolicName());
            assertEquals(Bundle.ACTIVE, djl.getState());
            CountDownLatch refreshed = new CountDownLatch(1);
            fw.adapt(FrameworkWiring.class).refreshBundles(List.of(inference), e -> {
                if (e.getType() == FrameworkEvent.PACKAGES_REFRESHED) {
                    refreshed.countDown();
                }
            });
            assertTrue("inference bundle refreshed", refreshed.await(60, TimeUnit.SECONDS));
            assertEquals(Bundle.ACTIVE, inference.getState());
            assertDjlWiredFrom(inference, djl);

            Frame frame = decodeFrame(findBundle(ctx, "io.edgetune.bytedeco"), FRAME_INDEX);
            assertPersonFoundByDjl(ctx, frame, "DJL bundle added, inference refreshed");

            // a restarted inference bundle loads the model again through the same DJL class loader
            inference.stop();
            inference.start();
            assertPersonFoundByDjl(ctx, frame, "inference restarted");
        } finally {
            fw.stop();
            fw.waitForStop(20_000);
        }
    }

    private void configureDetector(BundleContext ctx) throws Exception {
        ServiceReference<?> caRef = null;
        for (int i = 0; i < 100 && caRef == null; i++) {
            // all references: the test's class path may hold another copy of the cm API
            ServiceReference<?>[] refs = ctx.getAllServiceReferences("org.osgi.service.cm.ConfigurationAdmin", null);
            caRef = refs == null ? null : refs[0];
            Thread.sleep(caRef == null ? 100 : 0);
        }
        assertNotNull("ConfigurationAdmin registered", caRef);
        Object ca = ctx.getService(caRef);
        Method getConfiguration = ca.getClass().getMethod("getConfiguration", String.class, String.class);
        getConfiguration.setAccessible(true);
        Object config = getConfiguration.invoke(ca, "io.edgetune.inference.Detector", null);
        Dictionary<String, Object> d = new Hashtable<>();
        d.put("backend", "djl");
        d.put("mode", "full_frame");
        d.put("use.edgetpu", false);
        d.put("threads", 2);
        d.put("model.dir", tmp.newFolder("models").getAbsolutePath());
        d.put("assets.dir", assets().toString());
        Method update = config.getClass().getMethod("update", Dictionary.class);
        update.setAccessible(true);
        update.invoke(config, d);
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

    private static Bundle findBundle(BundleContext ctx, String symbolicName) {
        for (Bundle b : ctx.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("no bundle " + symbolicName);
    }

    /**
     * Decodes one frame with JavaCV from inside the framework (the bytedeco
     * bundle owns the FFmpeg natives; loading them a second time from the test's
     * class path would clash), through reflection on its public API.
     */
    private static Frame decodeFrame(Bundle bytedeco, int index) throws Exception {
        Class<?> grabberType = bytedeco.loadClass("org.bytedeco.javacv.FFmpegFrameGrabber");
        int bgr24 = bytedeco.loadClass("org.bytedeco.ffmpeg.global.avutil").getField("AV_PIX_FMT_BGR24").getInt(null);
        Object grabber = grabberType.getConstructor(File.class).newInstance(assets().resolve("vtest.avi").toFile());
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

package io.edgetune.kuraitests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import javax.inject.Inject;
import org.eclipse.kura.KuraErrorCode;
import org.eclipse.kura.KuraException;
import org.eclipse.kura.ai.inference.InferenceEngineService;
import org.eclipse.kura.ai.inference.ModelInfo;
import org.eclipse.kura.cloudconnection.message.KuraMessage;
import org.eclipse.kura.cloudconnection.request.RequestHandler;
import org.eclipse.kura.cloudconnection.request.RequestHandlerContext;
import org.eclipse.kura.cloudconnection.request.RequestHandlerMessageConstants;
import org.eclipse.kura.configuration.ConfigurableComponent;
import org.eclipse.kura.message.KuraPayload;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.deploymentadmin.BundleInfo;
import org.osgi.service.deploymentadmin.DeploymentAdmin;
import org.osgi.service.deploymentadmin.DeploymentPackage;

/**
 * The gateway deployment package on Kura's own OSGi stack (Equinox, Felix SCR
 * 2.1.16, Equinox ConfigAdmin and MetaType, Felix DeploymentAdmin 0.9.5):
 * installed through DeploymentAdmin, configured from the shipped Kura
 * snapshot as Kura's ConfigurationService does, publishing detections of the
 * sample video through a CloudPublisher configured by that snapshot,
 * answering requests as Kura's dispatcher sees them, serving Kura's AI API,
 * and leaving nothing behind when uninstalled.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class KuraGatewayTest {

    private static final long DETECTION_TIMEOUT_MS = 180_000;

    @Inject
    BundleContext context;

    @Inject
    DeploymentAdmin deploymentAdmin;

    @Inject
    ConfigurationAdmin configAdmin;

    @Inject
    ServiceComponentRuntime scr;

    @Configuration
    public Option[] config() {
        return KuraPlatform.options();
    }

    @Test
    public void theGatewayPackageRunsOnKurasStackAndUninstallsCleanly() throws Exception {
        assertEquals("Kura runs Equinox", "org.eclipse.osgi", context.getBundle(0).getSymbolicName());
        assertEquals("Kura runs Felix SCR 2.1.16 (DS 1.4)", "2.1.16", bundle("org.apache.felix.scr").getVersion().toString());
        assertNull("EdgeTune must not be there before the package", bundle("io.edgetune.capture"));
        assertNoDs15Requirement(deploymentPackageFile());
        // a fresh gateway: no assets cache, the base model must come with the package
        System.clearProperty("edgetune.assets");
        Path kuraData = Paths.get(context.getProperty("kura.home"), "data");
        assertFalse("Kura's data folder starts empty", Files.exists(kuraData.resolve("edgetune")));

        StandInCloud cloud = StandInCloud.register(context);
        StandInWires wires = StandInWires.register(context);
        DeploymentPackage dp;
        try (InputStream in = new FileInputStream(deploymentPackageFile())) {
            dp = deploymentAdmin.installDeploymentPackage(in);
        }
        List<String> names = checkBundles(dp);

        List<KuraSnapshot.Entry> snapshot = KuraSnapshot.read(new File(System.getProperty("edgetune.kura.snapshot")));
        KuraSnapshot.apply(snapshot, configAdmin, overrides(snapshot));

        awaitTrue("every EdgeTune component satisfied", () -> allComponentsUp() && untrackedPids(snapshot).isEmpty(),
                60_000);
        checkKuraTracksEveryConfigurableComponent(snapshot);
        assertEquals("the snapshot creates EdgeTune's four cloud publishers (detections, status, samples, events)", 4,
                cloud.publisherCount());

        StandInCloud.Sent detection = cloud.await("edgetune-detections", DETECTION_TIMEOUT_MS);
        assertNotNull("no detection message reached the Kura cloud publisher", detection);
        assertEquals("EDGETUNE/detections/camera1", detection.topic());
        KuraPayload payload = detection.message().getPayload();
        assertEquals("camera1", payload.getMetric("camera.id"));
        assertTrue("detections carry a count: " + payload.metrics(), payload.getMetric("count") instanceof Integer);
        assertTrue((Integer) payload.getMetric("count") > 0);

        assertTrue("the model store lives in Kura's data folder: " + kuraData,
                Files.isDirectory(kuraData.resolve("edgetune").resolve("models")));
        checkWireRecords(wires);
        checkRequestsAsKurasDispatcherSeesThem(cloud);
        checkKuraInferenceApi();

        dp.uninstall();
        assertTrue(dp.isStale());
        for (String name : names) {
            assertNull(name + " still installed after uninstall", bundle(name));
        }
        assertEquals(0, deploymentAdmin.listDeploymentPackages().length);
        awaitTrue("no EdgeTune thread left running", () -> edgeTuneThreads().isEmpty(), 20_000);
        cloud.unregister();
        wires.unregister();
    }

    /** A DetectionEmitter instance, created as Kura's Wire Composer does, emits one record per detection message. */
    private void checkWireRecords(StandInWires wires) throws Exception {
        org.osgi.service.cm.Configuration c = configAdmin.createFactoryConfiguration("io.edgetune.wires.DetectionEmitter", "?");
        c.update(new java.util.Hashtable<>(Map.of("kura.service.pid", "edgetune-wire", "camera.id", "camera1")));
        org.eclipse.kura.wire.WireEnvelope envelope = wires.await(60_000);
        assertNotNull("no WireRecord from the detection emitter", envelope);
        assertEquals("edgetune-wire", envelope.getEmitterPid());
        assertEquals("one record per detection message", 1, envelope.getRecords().size());
        Map<String, org.eclipse.kura.type.TypedValue<?>> p = envelope.getRecords().get(0).getProperties();
        assertEquals("camera1", p.get("camera.id").getValue());
        assertEquals(org.eclipse.kura.type.DataType.INTEGER, p.get("count").getType());
        assertTrue("a detection: " + p, (Integer) p.get("count").getValue() > 0);
        assertEquals(org.eclipse.kura.type.DataType.STRING, p.get("top.label").getType());
        assertEquals(org.eclipse.kura.type.DataType.DOUBLE, p.get("top.score").getType());
        assertFalse(((String) p.get("model.version").getValue()).isEmpty());
        assertTrue(((String) p.get("detections").getValue()).startsWith("["));
        c.delete();
    }

    /** The snapshot as shipped, with the camera pointed at the sample video played as a live camera. */
    private static Map<String, Map<String, Object>> overrides(List<KuraSnapshot.Entry> snapshot) {
        Path video = Paths.get(System.getProperty("edgetune.itest.video"));
        assertTrue("sample video missing: " + video, Files.isRegularFile(video));
        Map<String, Map<String, Object>> o = new HashMap<>();
        for (KuraSnapshot.Entry e : snapshot) {
            if ("io.edgetune.capture.Camera".equals(e.factoryPid())) {
                o.put(e.pid(), Map.of("source.uri", video.toString(), "file.loop", true, "file.realtime", true));
            }
        }
        assertFalse("the snapshot has no camera", o.isEmpty());

        return o;
    }

    static File deploymentPackageFile() {
        File dir = new File(System.getProperty("edgetune.itest.dp"));
        File[] dps = dir.listFiles((d, n) -> n.endsWith(".dp"));
        assertTrue("no .dp in " + dir + ": build kura-deploy first", dps != null && dps.length == 1);
        return dps[0];
    }

    /** Felix SCR 2.1.16 provides osgi.component 1.4: a bundle asking for 1.5 would never resolve on Kura. */
    private static void assertNoDs15Requirement(File dp) throws Exception {
        List<String> bad = new ArrayList<>();
        Path tmp = Files.createTempDirectory("dp");
        try (JarFile jar = new JarFile(dp)) {
            for (var e : java.util.Collections.list(jar.entries())) {
                if (!e.getName().endsWith(".jar")) {
                    continue;
                }
                Path b = tmp.resolve(Paths.get(e.getName()).getFileName());
                try (InputStream in = jar.getInputStream(e)) {
                    Files.copy(in, b);
                }
                try (JarFile inner = new JarFile(b.toFile())) {
                    Manifest m = inner.getManifest();
                    String req = m.getMainAttributes().getValue("Require-Capability");
                    if (req != null && req.contains("osgi.component") && !req.contains("(version>=1.4.0)")) {
                        bad.add(e.getName() + ": " + req);
                    }
                }
            }
        }
        assertTrue("bundles that need more than DS 1.4: " + bad, bad.isEmpty());
    }

    private List<String> checkBundles(DeploymentPackage dp) {
        assertEquals("io.edgetune.gateway.linux-x86_64", dp.getName());
        List<String> names = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (BundleInfo info : dp.getBundleInfos()) {
            names.add(info.getSymbolicName());
            Bundle b = dp.getBundle(info.getSymbolicName());
            assertNotNull(info.getSymbolicName() + " not installed", b);
            boolean fragment = (b.adapt(BundleRevision.class).getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
            if (b.getState() != (fragment ? Bundle.RESOLVED : Bundle.ACTIVE)) {
                problems.add(b.getSymbolicName() + " in state " + b.getState());
            }
        }
        assertTrue("bundles not active on Kura's stack: " + problems, problems.isEmpty());
        assertTrue(names.toString(), names.containsAll(List.of("io.edgetune.api", "io.edgetune.bytedeco",
                "io.edgetune.bytedeco.natives.linux-x86_64", "io.edgetune.capture", "io.edgetune.motion",
                "io.edgetune.model.pkg", "io.edgetune.inference", "io.edgetune.uploader", "io.edgetune.commands")));
        for (String provided : List.of("io.edgetune.kura.api", "io.edgetune.cloud.mqtt", "io.edgetune.broker",
                "org.eclipse.paho.client.mqttv3", "slf4j.api", "org.apache.felix.scr", "com.google.gson",
                "com.google.protobuf")) {
            assertFalse(provided + " comes from Kura: the package must not bring it", names.contains(provided));
        }
        return names;
    }

    /** Snapshot PIDs (EdgeTune's) without a ConfigurableComponent service that Kura would track. */
    private List<String> untrackedPids(List<KuraSnapshot.Entry> snapshot) {
        List<String> seen = new ArrayList<>();
        try {
            for (ServiceReference<ConfigurableComponent> r : context.getServiceReferences(ConfigurableComponent.class, null)) {
                if (r.getProperty("service.pid") != null && r.getProperty("kura.service.pid") != null) {
                    seen.add(r.getProperty("kura.service.pid").toString());
                }
            }
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        List<String> missing = new ArrayList<>();
        for (KuraSnapshot.Entry e : snapshot) {
            if (!StandInCloud.PUBLISHER_FACTORY_PID.equals(e.factoryPid()) && !seen.contains(e.pid())) {
                missing.add(e.pid());
            }
        }
        return missing;
    }

    private boolean allComponentsUp() {
        return failedComponents().isEmpty();
    }

    private List<String> failedComponents() {
        List<String> failed = new ArrayList<>();
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
            if (!d.bundle.symbolicName.startsWith("io.edgetune.")) {
                continue;
            }
            var configs = scr.getComponentConfigurationDTOs(d);
            if (configs.isEmpty() && !d.configurationPolicy.equals("require")) {
                failed.add(d.name + " has no configuration");
            }
            for (ComponentConfigurationDTO c : configs) {
                if (c.state != ComponentConfigurationDTO.ACTIVE && c.state != ComponentConfigurationDTO.SATISFIED) {
                    failed.add(d.name + " state " + c.state + (c.failure == null ? "" : " " + c.failure));
                }
            }
        }
        return failed;
    }

    /**
     * Kura's ConfigurationService tracks a ConfigurableComponent only if its
     * service carries service.pid and kura.service.pid; every one of
     * EdgeTune's must be tracked, and every snapshot PID must have one.
     */
    private void checkKuraTracksEveryConfigurableComponent(List<KuraSnapshot.Entry> snapshot) throws Exception {
        List<String> untracked = new ArrayList<>();
        for (ServiceReference<ConfigurableComponent> r : context.getServiceReferences(ConfigurableComponent.class, null)) {
            if (r.getBundle().getSymbolicName().startsWith("io.edgetune.")
                    && (r.getProperty("service.pid") == null || r.getProperty("kura.service.pid") == null)) {
                untracked.add(r.getBundle().getSymbolicName() + " " + r.getProperty("component.name"));
            }
        }
        assertTrue("ConfigurableComponents Kura would not track: " + untracked, untracked.isEmpty());
        List<String> missing = untrackedPids(snapshot);
        assertTrue("snapshot PIDs without a tracked ConfigurableComponent: " + missing, missing.isEmpty());
    }

    /** What Kura's request dispatcher does with a handler's answer: publish it unchanged, judge code / 200 == 1. */
    private static int dispatch(RequestHandler h, String method, List<String> args, KuraPayload body) {
        KuraMessage request = new KuraMessage(body, Map.of(RequestHandlerMessageConstants.ARGS_KEY.value(), args));
        RequestHandlerContext ctx = new RequestHandlerContext(null, Map.of());
        KuraMessage reply;
        try {
            switch (method) {
                case "GET":
                    reply = h.doGet(ctx, request);
                    break;
                case "PUT":
                    reply = h.doPut(ctx, request);
                    break;
                case "POST":
                    reply = h.doPost(ctx, request);
                    break;
                case "DEL":
                    reply = h.doDel(ctx, request);
                    break;
                default:
                    reply = h.doExec(ctx, request);
            }
        } catch (KuraException e) {
            // Kura maps these two codes, everything else is 500
            return e.getCode() == KuraErrorCode.BAD_REQUEST ? 400 : e.getCode() == KuraErrorCode.NOT_FOUND ? 404 : 500;
        } catch (IllegalArgumentException e) {
            return 400;
        } catch (Exception e) {
            return 500;
        }
        assertNotNull("a handler must answer", reply);
        Object code = reply.getPayload().getMetric("response.code");
        assertTrue("Kura publishes the reply unchanged: it must carry response.code itself, got "
                + reply.getPayload().metrics(), code instanceof Integer);
        return (Integer) code;
    }

    private void checkRequestsAsKurasDispatcherSeesThem(StandInCloud cloud) throws Exception {
        awaitTrue("EDGETUNE-V1 registered with Kura's RequestHandlerRegistry", () -> cloud.handler("EDGETUNE-V1") != null,
                30_000);
        RequestHandler h = cloud.handler("EDGETUNE-V1");
        assertEquals(200, dispatch(h, "GET", List.of("status"), new KuraPayload()));
        assertEquals(200, dispatch(h, "GET", List.of("models"), new KuraPayload()));
        assertEquals(404, dispatch(h, "GET", List.of("no-such-resource"), new KuraPayload()));
        KuraPayload garbage = new KuraPayload();
        garbage.setBody("{not json".getBytes());
        int code = dispatch(h, "EXEC", List.of("models", "activate"), garbage);
        assertEquals("a malformed request is a bad request", 400, code);

        // Kura runs handlers on 2 threads: a URL install answers at once and reports its outcome as an operation
        KuraPayload install = new KuraPayload();
        install.addMetric("url", "http://127.0.0.1:9/nothing-listens-here.zip");
        install.addMetric("sha256", "0".repeat(64));
        long started = System.nanoTime();
        KuraMessage accepted = h.doExec(new RequestHandlerContext(null, Map.of()),
                new KuraMessage(install, Map.of(RequestHandlerMessageConstants.ARGS_KEY.value(), List.of("models", "install"))));
        assertTrue("a URL install must not hold the handler thread", System.nanoTime() - started < 5_000_000_000L);
        assertEquals(200, accepted.getPayload().getMetric("response.code"));
        String operation = (String) accepted.getPayload().getMetric("operation.id");
        assertNotNull("operation id: " + accepted.getPayload().metrics(), operation);
        long end = System.currentTimeMillis() + 30_000;
        String state = null;
        while (System.currentTimeMillis() < end) {
            KuraMessage st = h.doGet(new RequestHandlerContext(null, Map.of()), new KuraMessage(new KuraPayload(),
                    Map.of(RequestHandlerMessageConstants.ARGS_KEY.value(), List.of("models", "operations", operation))));
            state = (String) st.getPayload().getMetric("operation.state");
            if ("failed".equals(state) || "succeeded".equals(state)) {
                assertTrue("the failure has a reason", st.getPayload().getMetric("operation.message") != null);
                break;
            }
            Thread.sleep(200);
        }
        assertEquals("nothing listens at that URL", "failed", state);
    }

    /** Kura's AI wire component's view of the detector. */
    private void checkKuraInferenceApi() throws Exception {
        ServiceReference<InferenceEngineService> ref = context.getServiceReference(InferenceEngineService.class);
        assertNotNull("the detector offers Kura's InferenceEngineService", ref);
        InferenceEngineService engine = context.getService(ref);
        try {
            List<String> names = engine.getModelNames();
            assertFalse("a model is loaded", names.isEmpty());
            String name = names.get(0);
            assertTrue(engine.isModelLoaded(name));
            engine.loadModel(name, java.util.Optional.empty());
            assertTrue("loading the loaded model is a no-op", engine.isModelLoaded(name));
            java.util.Optional<ModelInfo> info = engine.getModelInfo(name);
            assertTrue("model info of " + name, info.isPresent());
            assertEquals(name, info.get().getName());
            assertFalse("inputs described", info.get().getInputs().isEmpty());
            assertFalse("outputs described", info.get().getOutputs().isEmpty());
        } finally {
            context.ungetService(ref);
        }
    }

    private String diagnostics() {
        StringBuilder sb = new StringBuilder();
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
            if (d.bundle.symbolicName.startsWith("io.edgetune.")) {
                sb.append(d.name).append('=').append(scr.getComponentConfigurationDTOs(d).size()).append(' ');
            }
        }
        try {
            var all = configAdmin.listConfigurations(null);
            if (all != null) {
                for (var c : all) {
                    sb.append("\n  config ").append(c.getPid()).append(" factory ").append(c.getFactoryPid())
                            .append(" location ").append(c.getBundleLocation());
                }
            }
        } catch (Exception e) {
            sb.append(e);
        }
        return sb.toString();
    }

    private static List<String> edgeTuneThreads() {
        List<String> names = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            String n = t.getName().toLowerCase();
            if (t.isAlive() && (n.startsWith("edgetune") || n.startsWith("camera-") || n.contains("detector"))) {
                names.add(t.getName());
            }
        }
        return names;
    }

    private Bundle bundle(String bsn) {
        for (Bundle b : context.getBundles()) {
            if (bsn.equals(b.getSymbolicName())) {
                return b;
            }
        }
        return null;
    }

    private void awaitTrue(String what, BooleanSupplier condition, long timeoutMillis) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMillis;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > end) {
                throw new AssertionError("timed out: " + what + (what.startsWith("every EdgeTune component")
                        ? " " + failedComponents() + " " + diagnostics() : ""));
            }
            Thread.sleep(200);
        }
    }
}

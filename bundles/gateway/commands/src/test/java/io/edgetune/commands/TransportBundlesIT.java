package io.edgetune.commands;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import io.edgetune.cloud.mqtt.codec.KuraTopics;
import io.edgetune.cloud.mqtt.codec.KuraTopics.Verb;
import io.edgetune.cloud.mqtt.testing.CloudClient;
import java.io.File;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import org.apache.felix.framework.FrameworkFactory;
import org.eclipse.kura.message.KuraPayload;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;

/**
 * The transport bundles as the standalone runtime runs them: Felix + SCR +
 * ConfigAdmin, the embedded broker, the cloud connection with a factory
 * publisher selected by (kura.service.pid=...), and the EDGETUNE-V1 commands
 * registered through the RequestHandlerRegistry service.
 */
public class TransportBundlesIT {

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
            return files.filter(p -> p.getFileName().toString().matches("io\\.edgetune\\.commands-[^-]*-SNAPSHOT\\.jar"))
                    .findFirst().orElseThrow(() -> new AssertionError("run after package")).toFile();
        }
    }

    private static Object configAdmin(BundleContext ctx) throws Exception {
        for (int i = 0; i < 100; i++) {
            // all references: the test class path may hold another copy of the cm API
            ServiceReference<?>[] refs = ctx.getAllServiceReferences("org.osgi.service.cm.ConfigurationAdmin", null);
            if (refs != null) {
                return ctx.getService(refs[0]);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no ConfigurationAdmin");
    }

    private static void update(Object config, Map<String, Object> values) throws Exception {
        Dictionary<String, Object> d = new Hashtable<>(values);
        Method update = config.getClass().getMethod("update", Dictionary.class);
        update.setAccessible(true);
        update.invoke(config, d);
    }

    private static Object call(Object target, String name, Class<?>[] types, Object... args) throws Exception {
        Method m = target.getClass().getMethod(name, types);
        m.setAccessible(true);
        return m.invoke(target, args);
    }

    @Test
    public void brokerConnectionPublisherAndCommandsWorkTogetherInFelix() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Map<String, String> props = new HashMap<>();
        props.put(Constants.FRAMEWORK_STORAGE, tmp.newFolder("felix").getAbsolutePath());
        props.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        Framework fw = new FrameworkFactory().newFramework(props);
        fw.start();
        CloudClient cloud = null;
        try {
            BundleContext ctx = fw.getBundleContext();
            List<Bundle> infra = new ArrayList<>();
            for (File f : new File[] {
                    artifact("org.osgi", "org.osgi.util.function", "1.2.0"),
                    artifact("org.osgi", "org.osgi.util.promise", "1.3.0"),
                    artifact("org.osgi", "org.osgi.service.component", "1.5.1"),
                    artifact("org.apache.felix", "org.apache.felix.configadmin", "1.9.26"),
                    artifact("org.apache.felix", "org.apache.felix.scr", "2.2.12"),
                    artifact("org.slf4j", "slf4j-api", "1.7.36"),
                    artifact("org.slf4j", "slf4j-simple", "1.7.36"),
                    artifact("org.eclipse.paho", "org.eclipse.paho.client.mqttv3", "1.2.5"),
                    artifact("io.edgetune", "io.edgetune.kura.api", "0.1.0-SNAPSHOT"),
                    artifact("io.edgetune", "io.edgetune.api", "0.1.0-SNAPSHOT"),
                    // the model package format the upload store hashes packages with, and its Gson
                    artifact("com.google.code.gson", "gson", "2.9.0"),
                    artifact("io.edgetune", "io.edgetune.model.pkg", "0.1.0-SNAPSHOT"),
                    // the uploader encodes policy samples with OpenCV
                    artifact("io.edgetune", "io.edgetune.bytedeco", "0.1.0-SNAPSHOT"),
                    artifact("io.edgetune", "io.edgetune.bytedeco.natives.linux-x86_64", "0.1.0-SNAPSHOT"),
                    // the cloud connection's KuraPayload classes (Kura provides it too)
                    artifact("com.google.protobuf", "protobuf-java", "3.25.5")}) {
                infra.add(ctx.installBundle(f.toURI().toString()));
            }
            for (Bundle b : infra) {
                if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                    b.start();
                }
            }
            Object ca = configAdmin(ctx);
            Class<?>[] pidLoc = {String.class, String.class};
            update(call(ca, "getConfiguration", pidLoc, "io.edgetune.broker.Broker", null),
                    Map.of("port", port, "persistence.dir", tmp.newFolder("moquette").getAbsolutePath()));
            update(call(ca, "getConfiguration", pidLoc, "io.edgetune.cloud.mqtt.Connection", null),
                    Map.of("broker.url", "tcp://127.0.0.1:" + port, "account.name", "edgetune", "client.id", "felix-gw",
                            "reconnect.min.delay.ms", 200, "reconnect.max.delay.ms", 1000,
                            "outbox.dir", tmp.newFolder("outbox").getAbsolutePath()));
            update(call(ca, "createFactoryConfiguration", pidLoc, "io.edgetune.cloud.mqtt.Publisher", null),
                    Map.of("kura.service.pid", "edgetune-detections", "app.id", "EDGETUNE", "app.topic", "detections/$camera.id"));
            // every EdgeTune component needs a configuration (configuration-policy require, as on Kura)
            update(call(ca, "getConfiguration", pidLoc, "io.edgetune.commands.Commands", null), Map.of());
            update(call(ca, "getConfiguration", pidLoc, "io.edgetune.uploader.Uploader", null), Map.of());

            Bundle broker = ctx.installBundle(artifact("io.edgetune", "io.edgetune.broker", "0.1.0-SNAPSHOT").toURI().toString());
            Bundle connection = ctx.installBundle(artifact("io.edgetune", "io.edgetune.cloud.mqtt", "0.1.0-SNAPSHOT").toURI().toString());
            Bundle commands = ctx.installBundle(builtBundle().toURI().toString());
            Bundle uploader = ctx.installBundle(artifact("io.edgetune", "io.edgetune.uploader", "0.1.0-SNAPSHOT").toURI().toString());
            broker.start();
            connection.start();
            commands.start();
            uploader.start();

            // the broker starts on its own thread: connect the cloud side when it answers
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (cloud == null) {
                try {
                    cloud = new CloudClient("tcp://127.0.0.1:" + port, "annotator");
                } catch (Exception e) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("embedded broker never answered", e);
                    }
                    Thread.sleep(200);
                }
            }
            cloud.subscribe("$EDC/edgetune/+/MQTT/#").subscribe("$EDC/edgetune/annotator/#").subscribe("edgetune/#");

            // EDGETUNE-V1 is registered through DS; the gateway retries connecting with back-off
            KuraPayload status = null;
            for (int attempt = 0; attempt < 20 && status == null; attempt++) {
                try {
                    status = cloud.request(3, "edgetune", "felix-gw", "EDGETUNE-V1", Verb.GET, "s" + attempt, new KuraPayload(), "status");
                } catch (AssertionError noReplyYet) {
                    // not connected yet
                }
            }
            assertNotNull("EDGETUNE-V1 answered", status);
            assertEquals(200, status.getMetric(KuraTopics.RESPONSE_CODE));
            assertEquals(0, status.getMetric("cameras"));

            // the connection's counters, for status lines, through the exported CloudConnectionStatus service
            // (all references: the test class path holds another copy of the package)
            ServiceReference<?>[] statusRefs = ctx.getAllServiceReferences("io.edgetune.cloud.mqtt.status.CloudConnectionStatus", null);
            assertNotNull("CloudConnectionStatus registered", statusRefs);
            Object statusService = ctx.getService(statusRefs[0]);
            Object snapshot = call(statusService, "snapshot", new Class<?>[0]);
            for (int i = 0; i < 50 && (Long) call(snapshot, "delivered", new Class<?>[0]) < 1; i++) {
                Thread.sleep(100); // the reply is counted once the broker's PUBACK is back
                snapshot = call(statusService, "snapshot", new Class<?>[0]);
            }
            assertEquals(Boolean.TRUE, call(snapshot, "connected", new Class<?>[0]));
            assertTrue(snapshot.toString(), (Long) call(snapshot, "requests", new Class<?>[0]) >= 1);
            assertTrue(snapshot.toString(), (Long) call(snapshot, "delivered", new Class<?>[0]) >= 1);

            // the uploader's SamplingService reaches the commands bundle through DS
            boolean sampling = false;
            for (int attempt = 0; attempt < 20 && !sampling; attempt++) {
                KuraPayload st = cloud.request(3, "edgetune", "felix-gw", "EDGETUNE-V1", Verb.GET, "a" + attempt, new KuraPayload(), "status");
                sampling = Boolean.TRUE.equals(st.getMetric("sampling.available"));
                if (!sampling) {
                    Thread.sleep(200);
                }
            }
            assertTrue("uploader's SamplingService bound", sampling);
            KuraPayload sample = cloud.request(3, "edgetune", "felix-gw", "EDGETUNE-V1", Verb.EXEC, "n1", new KuraPayload(), "samples", "now");
            assertEquals(200, sample.getMetric(KuraTopics.RESPONSE_CODE));
            assertEquals("no cameras in this runtime", 0, sample.getMetric("cameras"));

            // the factory publisher is found with the same filter a Kura consumer would use
            ServiceReference<?>[] pubs = ctx.getAllServiceReferences("org.eclipse.kura.cloudconnection.publisher.CloudPublisher",
                    "(kura.service.pid=edgetune-detections)");
            assertNotNull("publisher selected by kura.service.pid", pubs);
            assertEquals(1, pubs.length);
            Object publisher = ctx.getService(pubs[0]);
            Bundle kuraApi = infra.stream().filter(b -> "io.edgetune.kura.api".equals(b.getSymbolicName())).findFirst().orElseThrow();
            Class<?> payloadClass = kuraApi.loadClass("org.eclipse.kura.message.KuraPayload");
            Class<?> messageClass = kuraApi.loadClass("org.eclipse.kura.cloudconnection.message.KuraMessage");
            Object payload = payloadClass.getConstructor().newInstance();
            call(payload, "addMetric", new Class<?>[] {String.class, Object.class}, "people", 3);
            Object message = messageClass.getConstructor(payloadClass, Map.class).newInstance(payload, Map.of("camera.id", "plaza"));
            Method publish = publisher.getClass().getMethod("publish", messageClass);
            publish.setAccessible(true);
            publish.invoke(publisher, message);
            CloudClient.Received data = cloud.await("edgetune/felix-gw/EDGETUNE/detections/plaza"::equals, 30);
            assertEquals(3, data.payload().getMetric("people"));

            // restarting the connection bundle: a new birth certificate, commands registered again
            cloud.drain();
            connection.stop();
            connection.start();
            CloudClient.Received birth = cloud.await(KuraTopics.birth("edgetune", "felix-gw")::equals, 30);
            KuraPayload again = null;
            for (int attempt = 0; attempt < 20 && again == null; attempt++) {
                try {
                    again = cloud.request(3, "edgetune", "felix-gw", "EDGETUNE-V1", Verb.GET, "t" + attempt, new KuraPayload(), "status");
                } catch (AssertionError noReplyYet) {
                    // handler not registered yet
                }
            }
            assertNotNull("EDGETUNE-V1 answers after the connection bundle restarted (birth " + birth.payload().metrics() + ")", again);
            assertEquals(200, again.getMetric(KuraTopics.RESPONSE_CODE));
        } finally {
            if (cloud != null) {
                cloud.close();
            }
            fw.stop();
            fw.waitForStop(15_000);
        }
    }
}

package io.edgetune.commands;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static io.edgetune.testsupport.FelixRuntime.call;

import io.edgetune.cloud.mqtt.codec.KuraTopics;
import io.edgetune.cloud.mqtt.codec.KuraTopics.Verb;
import io.edgetune.cloud.mqtt.testing.CloudClient;
import io.edgetune.testsupport.FelixRuntime;
import io.edgetune.testsupport.TestBroker;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.kura.message.KuraPayload;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * The transport bundles as the standalone runtime runs them: Felix + SCR +
 * ConfigAdmin, the embedded broker, the cloud connection with a factory
 * publisher selected by (kura.service.pid=...), and the EDGETUNE-V1 commands
 * registered through the RequestHandlerRegistry service.
 */
public class TransportBundlesIT {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void brokerConnectionPublisherAndCommandsWorkTogetherInFelix() throws Exception {
        int port = TestBroker.freePort();
        FelixRuntime felix = FelixRuntime.start(tmp.newFolder("felix").toPath(), Map.of());
        CloudClient cloud = null;
        try {
            BundleContext ctx = felix.context();
            List<File> runtime = new ArrayList<>(FelixRuntime.declarativeServices());
            runtime.add(FelixRuntime.artifact("org.eclipse.paho", "org.eclipse.paho.client.mqttv3", "1.2.5"));
            runtime.add(FelixRuntime.edgetune("io.edgetune.kura.api"));
            runtime.add(FelixRuntime.edgetune("io.edgetune.api"));
            // the model package format the upload store hashes packages with, and its Gson
            runtime.add(FelixRuntime.artifact("com.google.code.gson", "gson", "2.9.0"));
            runtime.add(FelixRuntime.edgetune("io.edgetune.model.pkg"));
            // the cloud connection's KuraPayload classes (Kura provides it too)
            runtime.add(FelixRuntime.artifact("com.google.protobuf", "protobuf-java", "3.25.5"));
            // the uploader encodes policy samples with OpenCV
            runtime.add(FelixRuntime.edgetune("io.edgetune.bytedeco"));
            runtime.add(FelixRuntime.edgetune("io.edgetune.bytedeco.natives.linux-x86_64"));
            List<Bundle> infra = felix.installAndStart(runtime, false);
            felix.configure("io.edgetune.broker.Broker",
                    Map.of("port", port, "persistence.dir", tmp.newFolder("moquette").getAbsolutePath()));
            felix.configure("io.edgetune.cloud.mqtt.Connection",
                    Map.of("broker.url", "tcp://127.0.0.1:" + port, "account.name", "edgetune", "client.id", "felix-gw",
                            "reconnect.min.delay.ms", 200, "reconnect.max.delay.ms", 1000,
                            "outbox.dir", tmp.newFolder("outbox").getAbsolutePath()));
            felix.configureFactory("io.edgetune.cloud.mqtt.Publisher",
                    Map.of("kura.service.pid", "edgetune-detections", "app.id", "EDGETUNE", "app.topic", "detections/$camera.id"));
            // every EdgeTune component needs a configuration (configuration-policy require, as on Kura)
            felix.configure("io.edgetune.commands.Commands", Map.of());
            felix.configure("io.edgetune.uploader.Uploader", Map.of());

            Bundle broker = felix.install(FelixRuntime.edgetune("io.edgetune.broker"), false);
            Bundle connection = felix.install(FelixRuntime.edgetune("io.edgetune.cloud.mqtt"), false);
            Bundle commands = felix.install(FelixRuntime.builtBundle("io.edgetune.commands"), false);
            Bundle uploader = felix.install(FelixRuntime.edgetune("io.edgetune.uploader"), false);
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
            call(publisher, "publish", new Class<?>[] {messageClass}, message);
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
            felix.close();
        }
    }
}

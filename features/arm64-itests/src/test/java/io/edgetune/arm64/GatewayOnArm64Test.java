package io.edgetune.arm64;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import io.edgetune.cloud.mqtt.codec.KuraPayloadCodec;
import io.edgetune.testsupport.Assets;
import io.edgetune.testsupport.TestBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.eclipse.kura.message.KuraPayload;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.Test;

/**
 * edgetune-gateway-linux-arm64.jar (the gateway runtime built by the arm64 profile) on the arm64 JVM under
 * qemu-user, with the shipped gateway configuration on the sample video, publishing to a broker on this
 * machine: it must start, detect and publish a detection message.
 */
public class GatewayOnArm64Test {

    private static final String CLIENT_ID = "arm64-gw";
    private static final String DETECTIONS = "edgetune/" + CLIENT_ID + "/EDGETUNE/detections/plaza";
    /** Emulated Felix start, model seeding and the first detector passes: 5 to 6 minutes on this machine under
     * a load average of 30; the limit only stops a runtime that never publishes. */
    private static final long LIMIT_MINUTES = 10;

    @Test
    public void detectionReachesTheBroker() throws Exception {
        Path jar = Paths.get(System.getProperty("edgetune.arm64.gateway.jar"));
        assertTrue(jar + " missing: build features/gateway with the arm64 profile", Files.isRegularFile(jar));
        assertOnlyArm64Natives(jar);
        Arm64Jvm.ensureInstalled();

        Path work = Paths.get(System.getProperty("edgetune.arm64.work"), "gateway");
        deleteTree(work);
        Path conf = work.resolve("conf");
        Files.createDirectories(conf);
        try (Stream<Path> files = Files.list(Paths.get(System.getProperty("edgetune.arm64.configs"), "standalone", "gateway"))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, conf.resolve(f.getFileName()));
            }
        }
        try (TestBroker broker = TestBroker.started("moquette", work.resolve("broker"))) {
            Files.writeString(conf.resolve("io.edgetune.cloud.mqtt.Connection.cfg"), String.join("\n",
                    "broker.url=" + broker.url(), "account.name=edgetune", "client.id=" + CLIENT_ID,
                    "reconnect.min.delay.ms=500", "reconnect.max.delay.ms=2000"), StandardCharsets.UTF_8);
            BlockingQueue<byte[]> detections = new ArrayBlockingQueue<>(1000);
            MqttClient sub = new MqttClient(broker.url(), "arm64-itest", new MemoryPersistence());
            MqttConnectOptions o = new MqttConnectOptions();
            o.setCleanSession(true);
            sub.connect(o);
            sub.subscribe(DETECTIONS, 0, (t, m) -> detections.offer(m.getPayload()));

            List<String> cmd = Arm64Jvm.command("-Dfelix.fileinstall.dir=" + conf,
                    "-Dedgetune.video=" + Assets.video(), "-Dedgetune.assets=" + Assets.dir(),
                    "-Dedgetune.data=" + work.resolve("data"), "-Dorg.osgi.service.http.port=" + TestBroker.freePort(),
                    "-jar", jar.toString());
            Path log = work.resolve("gateway.log");
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE).start();
            try {
                byte[] first = null;
                long deadline = System.currentTimeMillis() + TimeUnit.MINUTES.toMillis(LIMIT_MINUTES);
                while (first == null && p.isAlive() && System.currentTimeMillis() < deadline) {
                    first = detections.poll(1, TimeUnit.SECONDS);
                }
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertNotNull("no message on " + DETECTIONS + " within " + LIMIT_MINUTES + " minutes (gateway "
                        + (p.isAlive() ? "running" : "exited") + "); see " + log, first);
                KuraPayload payload = KuraPayloadCodec.decode(first);
                System.out.printf("arm64 gateway runtime under qemu: first detection message %d ms after start: count=%s "
                        + "top=%s %s, model %s, backend %s%n", ms, payload.getMetric("count"), payload.getMetric("top.label"),
                        payload.getMetric("top.score"), payload.getMetric("model.version"), payload.getMetric("backend"));
                assertEquals("plaza", payload.getMetric("camera.id"));
                assertTrue("a detection message with no detection: " + payload.metrics(),
                        ((Number) payload.getMetric("count")).intValue() > 0);
                assertEquals("base-oidv4", payload.getMetric("model.version"));
                assertEquals("tflite-javacpp", payload.getMetric("backend"));
            } finally {
                sub.disconnectForcibly(500);
                sub.close(true);
                p.destroy();
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    /** The runtime holds the linux-arm64 natives fragment and not the x86_64 one. */
    private static void assertOnlyArm64Natives(Path jar) throws Exception {
        List<String> natives = new ArrayList<>();
        try (JarFile j = new JarFile(jar.toFile())) {
            j.stream().map(e -> e.getName()).filter(n -> n.contains("bytedeco.natives")).forEach(natives::add);
        }
        assertTrue(jar + " has no linux-arm64 natives fragment: " + natives,
                natives.stream().anyMatch(n -> n.contains("natives.linux-arm64")));
        assertFalse(jar + " carries the x86_64 natives: " + natives,
                natives.stream().anyMatch(n -> n.contains("natives.linux-x86_64")));
    }

    private static void deleteTree(Path p) throws Exception {
        if (Files.exists(p)) {
            try (Stream<Path> all = Files.walk(p)) {
                all.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}

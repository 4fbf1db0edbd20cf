package io.edgetune.itests;

import static org.junit.Assert.assertTrue;

import io.edgetune.cloud.mqtt.internal.Outbox;
import io.edgetune.testsupport.TestBroker;
import io.edgetune.testsupport.Assets;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The shipped gateway jar against Debian's mosquitto: the broker goes away,
 * messages queue in the gateway's outbox (where the shipped configuration
 * keeps it: the connection bundle's data area in the framework storage,
 * which the runtime keeps across starts), the gateway is stopped (a clean
 * {@code stop 0}, SIGTERM, or kill -9) and started again once the broker is
 * back. Every message that was in the outbox when the gateway stopped
 * arrives; messages sent twice (at-least-once delivery) are counted and
 * bounded by the connection's in-flight window.
 */
public class BacklogAcrossRestartTest {

    private static final int MAX_INFLIGHT = 16;
    private static final int BACKLOG = 40;

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void aBacklogQueuedDuringAnOutageSurvivesCleanStopSigtermAndKill9() throws Exception {
        for (String stop : List.of("clean", "sigterm", "kill-9")) {
            cycle(stop);
        }
    }

    private void cycle(String stop) throws Exception {
        Path work = tmp.newFolder(stop).toPath();
        try (TestBroker broker = TestBroker.mosquitto(work.resolve("mosquitto"), List.of())) {
            broker.start();
            Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
            MqttClient watcher = watch(broker, received);
            GatewayJar gw = new GatewayJar(work, broker.port());
            gw.start();
            try {
                awaitTrue("detections flow before the outage (" + stop + ")", () -> received.size() > 5, 120);
                watcher.disconnect();
                watcher.close();
                broker.stop();
                // the shipped default: the outbox in the connection bundle's data area, inside the framework storage
                awaitTrue("messages queue in the outbox during the outage", () -> count(outbox(work)) >= BACKLOG, 90);
                gw.stop(stop);
            } finally {
                gw.kill();
            }
            List<String> backlog = backlog(outbox(work));
            assertTrue(stop + ": the backlog survived the stop: " + backlog.size(), backlog.size() >= BACKLOG);

            broker.start();
            received.clear();
            watcher = watch(broker, received);
            gw.start();
            try {
                awaitTrue(stop + ": the backlog arrives after the restart", () -> backlog.stream().allMatch(received::containsKey), 120);
                int duplicates = 0;
                for (String h : backlog) {
                    duplicates += received.get(h).get() - 1;
                }
                System.out.printf("backlog across a %s stop: %d messages queued during the outage, all delivered, %d duplicates%n",
                        stop, backlog.size(), duplicates);
                assertTrue(stop + ": duplicates bounded by the in-flight window: " + duplicates, duplicates <= MAX_INFLIGHT);
            } finally {
                watcher.disconnect();
                watcher.close();
                gw.stop("sigterm");
                gw.kill();
            }
        }
    }

    /** The SHA-256 of every payload in the outbox of a stopped gateway. */
    private static List<String> backlog(Path dir) throws Exception {
        List<String> hashes = new ArrayList<>();
        try (Outbox o = new Outbox(dir, Long.MAX_VALUE / 2, Integer.MAX_VALUE, false)) {
            long after = -1;
            for (Outbox.Entry e = o.next(after, 10, TimeUnit.MILLISECONDS); e != null; e = o.next(after, 10, TimeUnit.MILLISECONDS)) {
                hashes.add(Assets.sha256(e.payload()));
                after = e.seq();
            }
        }
        return hashes;
    }

    private static MqttClient watch(TestBroker broker, Map<String, AtomicInteger> received) throws Exception {
        MqttClient c = new MqttClient(broker.url(), "backlog-watcher-" + System.nanoTime(), new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        c.connect(o);
        c.subscribe(new String[] {"edgetune/#", "$EDC/#"}, new int[] {1, 1});
        c.setCallback(new org.eclipse.paho.client.mqttv3.MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, org.eclipse.paho.client.mqttv3.MqttMessage m) {
                received.computeIfAbsent(Assets.sha256(m.getPayload()), k -> new AtomicInteger()).incrementAndGet();
            }

            @Override
            public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) {
            }
        });
        return c;
    }

    private static Path outbox(Path work) {
        try (Stream<Path> s = Files.walk(work)) {
            return s.filter(p -> p.getFileName().toString().equals("outbox") && Files.isDirectory(p)).findFirst()
                    .orElse(work.resolve("no-outbox-yet"));
        } catch (java.io.IOException e) {
            return work.resolve("no-outbox-yet");
        }
    }

    private static long count(Path outbox) {
        try (Stream<Path> s = Files.list(outbox)) {
            return s.filter(p -> p.toString().endsWith(".msg")).count();
        } catch (java.io.IOException e) {
            return 0;
        }
    }


    private static void awaitTrue(String what, java.util.function.BooleanSupplier c, int seconds) throws InterruptedException {
        long end = System.currentTimeMillis() + seconds * 1000L;
        while (!c.getAsBoolean()) {
            if (System.currentTimeMillis() > end) {
                throw new AssertionError("timed out: " + what);
            }
            Thread.sleep(200);
        }
    }

    /** edgetune-gateway.jar as a user runs it, with its configuration and data under one work directory. */
    private static final class GatewayJar {
        private final Path work;
        private final int mqttPort;
        private Process process;

        GatewayJar(Path work, int mqttPort) throws Exception {
            this.work = work;
            this.mqttPort = mqttPort;
            Path conf = work.resolve("conf");
            Files.createDirectories(conf);
            Path shipped = Paths.get(System.getProperty("edgetune.itest.configs"), "standalone", "gateway");
            try (Stream<Path> files = Files.list(shipped)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.copy(f, conf.resolve(f.getFileName()));
                }
            }
            Files.writeString(conf.resolve("io.edgetune.cloud.mqtt.Connection.cfg"), String.join("\n",
                    "broker.url=tcp://127.0.0.1:" + mqttPort, "account.name=edgetune", "client.id=backlog-gw",
                    "reconnect.min.delay.ms=200", "reconnect.max.delay.ms=1000"),
                    StandardCharsets.UTF_8);
            // many small messages: every frame with detections, no rate limit
            Files.writeString(conf.resolve("io.edgetune.uploader.Uploader.cfg"), String.join("\n",
                    "max.rate=20", "burst=20", "status.interval.s=2", "sample.interval.s=0", "sample.novelty.threshold=0",
                    "sample.rare.percent=0", "sample.motion.static.s=-1"), StandardCharsets.UTF_8);
        }

        void start() throws Exception {
            Path jar = Paths.get(System.getProperty("edgetune.itest.runtimes"), "gateway", "target", "edgetune-gateway.jar")
                    .toAbsolutePath();
            Path assets = Paths.get(System.getProperty("edgetune.assets"));
            process = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                    "-Dfelix.fileinstall.dir=" + work.resolve("conf"), "-Dedgetune.video=" + assets.resolve("vtest.avi"),
                    "-Dedgetune.assets=" + assets, "-Dedgetune.data=" + work.resolve("data"),
                    "-Dorg.osgi.service.http.port=" + DemoProcess.freePort(),
                    "-jar", jar.toString())
                    .directory(work.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("gateway.log").toFile()))
                    .redirectInput(ProcessBuilder.Redirect.PIPE).start();
        }

        void stop(String how) throws Exception {
            if (process == null || !process.isAlive()) {
                return;
            }
            switch (how) {
                case "clean":
                    process.getOutputStream().write("stop 0\n".getBytes(StandardCharsets.UTF_8));
                    process.getOutputStream().flush();
                    break;
                case "sigterm":
                    process.destroy();
                    break;
                default:
                    process.destroyForcibly();
            }
            assertTrue("the gateway did not end after " + how + "; see " + work.resolve("gateway.log"),
                    process.waitFor(60, TimeUnit.SECONDS));
            System.out.printf("gateway ended by %s with exit code %d%n", how, process.exitValue());
        }

        void kill() throws InterruptedException {
            if (process != null && process.isAlive()) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}

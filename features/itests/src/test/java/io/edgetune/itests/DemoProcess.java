package io.edgetune.itests;

import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * The shipped demo jar ({@code java -jar edgetune-demo.jar}: camera on the sample
 * video, motion, detector, cloud connection and its embedded MQTT broker) run as a
 * process in a working directory of its own, the way an operator runs it, plus an
 * MQTT client of the test on the demo's broker that records every topic it sees.
 * One instance per working directory; {@link #start()} may be called again after
 * {@link #stop} to restart on the same framework storage.
 */
final class DemoProcess implements AutoCloseable {

    static final String ACCOUNT = "edgetune";
    static final String CLIENT_ID = "demo-gateway";
    static final String BIRTH = "$EDC/" + ACCOUNT + "/" + CLIENT_ID + "/MQTT/BIRTH";
    static final String DISCONNECT = "$EDC/" + ACCOUNT + "/" + CLIENT_ID + "/MQTT/DC";
    static final String LAST_WILL = "$EDC/" + ACCOUNT + "/" + CLIENT_ID + "/MQTT/LWT";
    static final String DETECTIONS = ACCOUNT + "/" + CLIENT_ID + "/EDGETUNE/detections/plaza";

    final Path dir;
    final int mqttPort;
    private final int httpPort;
    private final Path jar;
    private final Path assets;
    private Process process;
    private MqttClient watcher;
    private int starts;
    /** Topics seen since the last start, in arrival order. */
    final List<String> seen = new CopyOnWriteArrayList<>();

    DemoProcess(Path dir) throws IOException {
        this.dir = dir;
        Path runtimes = Paths.get(System.getProperty("edgetune.itest.runtimes", "..")).toAbsolutePath().normalize();
        this.jar = runtimes.resolve("demo/target/edgetune-demo.jar");
        this.assets = Paths.get(System.getProperty("edgetune.assets", System.getProperty("user.home") + "/.cache/edgetune"));
        assertTrue(jar + " missing: build features/demo first", Files.exists(jar));
        assertTrue("sample video missing in " + assets + " (run features/assets/fetch-assets.sh)",
                Files.exists(assets.resolve("vtest.avi")));
        deleteTree(dir);
        Path configs = dir.resolve("configs/standalone/demo");
        Files.createDirectories(configs);
        try (Stream<Path> files = Files.list(runtimes.getParent().resolve("configs/standalone/demo"))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, configs.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        this.mqttPort = freePort();
        this.httpPort = freePort();
    }

    /** Starts the jar and returns once the test's MQTT client is subscribed to the demo's broker. */
    void start() throws Exception {
        seen.clear();
        starts++;
        List<String> cmd = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Dedgetune.mqtt.port=" + mqttPort, "-Dorg.osgi.service.http.port=" + httpPort,
                "-Dedgetune.video=" + assets.resolve("vtest.avi"), "-Dedgetune.assets=" + assets,
                "-Dedgetune.data=" + dir.resolve("data"), "-jar", jar.toString()));
        process = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("console.log").toFile()))
                .redirectInput(ProcessBuilder.Redirect.PIPE).start();
        Files.writeString(dir.resolve("console.log"), "=== start " + starts + " (pid " + process.pid() + ")\n",
                StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        // connect and subscribe, retrying both: the broker may refuse or drop a client while it starts
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        long deadline = System.currentTimeMillis() + 90_000;
        int attempt = 0;
        while (true) {
            assertTrue("the demo exited during start " + starts + "; see " + dir.resolve("console.log"), process.isAlive());
            MqttClient c = new MqttClient("tcp://127.0.0.1:" + mqttPort, "itest-watcher-" + starts + "-" + (++attempt),
                    new MemoryPersistence());
            try {
                c.connect(o);
                c.subscribe(new String[] {"$EDC/" + ACCOUNT + "/" + CLIENT_ID + "/#", DETECTIONS}, new int[] {1, 0},
                        new org.eclipse.paho.client.mqttv3.IMqttMessageListener[] {(t, m) -> seen.add(t), (t, m) -> seen.add(t)});
                watcher = c;
                return;
            } catch (MqttException notYet) {
                try {
                    c.close(true);
                } catch (MqttException ignored) {
                    // not connected
                }
                if (System.currentTimeMillis() > deadline) {
                    throw new AssertionError("could not subscribe on the demo's broker within 90 s (start " + starts
                            + "): " + notYet + "; see " + dir.resolve("console.log"));
                }
                Thread.sleep(200);
            }
        }
    }

    /** Waits until the topic has been seen since the last start; on time-out dumps the threads and fails. */
    long await(String topic, Duration limit) throws Exception {
        long started = System.nanoTime();
        long deadline = System.currentTimeMillis() + limit.toMillis();
        while (!seen.contains(topic)) {
            if (!process.isAlive()) {
                throw new AssertionError("the demo exited before " + topic + " (start " + starts + "); see "
                        + dir.resolve("console.log"));
            }
            if (System.currentTimeMillis() > deadline) {
                Path dump = dir.resolve("threads-" + starts + ".txt");
                new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "jcmd").toString(),
                        Long.toString(process.pid()), "Thread.print").redirectErrorStream(true)
                        .redirectOutput(dump.toFile()).start().waitFor(30, TimeUnit.SECONDS);
                throw new AssertionError("no " + topic + " within " + limit + " (start " + starts + "); topics seen "
                        + seen + "; threads in " + dump + ", log in " + dir.resolve("console.log"));
            }
            Thread.sleep(50);
        }
        return (System.nanoTime() - started) / 1_000_000;
    }

    /**
     * Sends SIGTERM ({@link Process#destroy()} on Linux) and waits for the process
     * to end; returns the milliseconds it took. Fails if it has not ended in the limit.
     */
    long terminate(Duration limit) throws Exception {
        long started = System.nanoTime();
        process.destroy();
        boolean ended = process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
        long took = (System.nanoTime() - started) / 1_000_000;
        closeWatcher();
        if (!ended) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("the demo did not end within " + limit + " of SIGTERM (start " + starts + ")");
        }
        return took;
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    private void closeWatcher() {
        if (watcher != null) {
            try {
                if (watcher.isConnected()) {
                    watcher.disconnectForcibly(500);
                }
                watcher.close(true);
            } catch (MqttException gone) {
                // the broker went with the demo
            }
            watcher = null;
        }
    }

    @Override
    public void close() throws Exception {
        closeWatcher();
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> all = Files.walk(p)) {
            all.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}

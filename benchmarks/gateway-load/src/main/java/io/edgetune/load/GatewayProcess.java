package io.edgetune.load;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real gateway runtime ({@code edgetune-gateway.jar}) as a child process,
 * configured through its FileInstall directory: one busy camera (the sample
 * video), N static cameras, a detector, the uploader and the MQTT connection
 * to the probe's broker. Cameras are added by writing configuration files,
 * as an operator would.
 */
final class GatewayProcess implements AutoCloseable {

    static final String CLIENT_ID = "loadgw";
    static final String BUSY = "busy";

    private final LoadOptions options;
    private final Path conf;
    private final Path staticVideo;
    private final Process process;
    private final Path log;
    private int staticCameras;
    private long peakHeapUsedKiB;
    private long peakHeapCommittedKiB;
    private int heapSamples;

    private GatewayProcess(LoadOptions options, Path conf, Path staticVideo, Process process, Path log) {
        this.options = options;
        this.conf = conf;
        this.staticVideo = staticVideo;
        this.process = process;
        this.log = log;
    }

    static GatewayProcess start(LoadOptions o, int brokerPort, Path staticVideo) throws IOException {
        if (!Files.isRegularFile(o.gatewayJar())) {
            throw new IOException("gateway runtime not found: " + o.gatewayJar() + " (build features/gateway first)");
        }
        // the child runs in the work directory: every path it gets must be absolute
        Path work = o.workDir().toAbsolutePath();
        Path conf = work.resolve("conf");
        Files.createDirectories(conf);
        Path assets = o.assetsDir().toAbsolutePath();
        Path video = assets.resolve("vtest.avi");
        write(conf, "io.edgetune.cloud.mqtt.Connection.cfg",
                "broker.url=tcp://127.0.0.1:" + brokerPort,
                "account.name=edgetune",
                "client.id=" + CLIENT_ID,
                "outbox.dir=" + work.resolve("outbox"));
        for (String kind : List.of("detections", "samples", "status")) {
            write(conf, "io.edgetune.cloud.mqtt.Publisher-" + kind + ".cfg",
                    "kura.service.pid=edgetune-" + kind,
                    "app.id=EDGETUNE",
                    "app.topic=" + (kind.equals("status") ? "status" : kind + "/$camera.id"),
                    "qos=1");
        }
        // one detections message per processed frame (no rate limit, none skipped), a status every second,
        // no heartbeats and no sampling: every message on the detections topic is one frame
        write(conf, "io.edgetune.uploader.Uploader.cfg",
                "only.with.detections=false",
                "max.rate=1000",
                "burst=1000",
                "queue.size=256",
                "status.interval.s=1",
                "heartbeat.s=0",
                "aggregate.s=0",
                "sample.interval.s=0",
                "sample.novelty.threshold=0",
                "sample.uncertain.low=0.5",
                "sample.uncertain.high=0.5",
                "sample.rare.percent=0",
                "sample.motion.static.s=-1");
        write(conf, "io.edgetune.inference.Detector.cfg",
                "backend=javacpp",
                "mode=regions",
                "score.threshold=0.4",
                "threads=" + o.inferenceThreads(),
                "assets.dir=" + assets);
        write(conf, "io.edgetune.console.Console.cfg", "status.interval.seconds=30");
        write(conf, "io.edgetune.commands.Commands.cfg", "# defaults: every component needs a configuration");
        writeCamera(conf, BUSY, video, o.cameraFps());

        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(o.gatewayJvmArgs());
        cmd.add("-Dfelix.fileinstall.dir=" + conf);
        cmd.add("-Dorg.osgi.framework.storage=" + work.resolve("storage"));
        cmd.add("-Dorg.osgi.framework.storage.clean=onFirstInit");
        cmd.add("-Dorg.osgi.service.http.port=" + MqttProbe.freePort());
        cmd.add("-Dedgetune.data=" + work.resolve("data"));
        cmd.add("-Dedgetune.assets=" + assets);
        cmd.add("-jar");
        cmd.add(o.gatewayJar().toAbsolutePath().toString());
        Path log = work.resolve("gateway.log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Process p = pb.start();
        // a load run that dies must not leave a gateway decoding videos in a loop behind
        Thread reaper = new Thread(p::destroyForcibly, "gateway-load-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
        p.onExit().thenRun(() -> {
            try {
                Runtime.getRuntime().removeShutdownHook(reaper);
            } catch (IllegalStateException e) {
                // already shutting down
            }
        });
        return new GatewayProcess(o, conf, staticVideo, p, log);
    }

    private static void writeCamera(Path conf, String id, Path video, double fps) throws IOException {
        write(conf, "io.edgetune.capture.Camera-" + id + ".cfg",
                "camera.id=" + id,
                "enabled=true",
                "source.uri=" + video,
                "target.fps=" + fps,
                "file.loop=true",
                "file.realtime=true");
        // as configs/standalone/gateway
        write(conf, "io.edgetune.motion.MotionDetector-" + id + ".cfg",
                "camera.id=" + id,
                "model=MOG2",
                "motion.height=100",
                "regions.max=4");
    }

    private static void write(Path dir, String name, String... lines) throws IOException {
        // FileInstall may read a half-written file: write aside, then move in
        Path tmp = dir.resolveSibling(name + ".tmp");
        Files.write(tmp, List.of(lines), StandardCharsets.UTF_8);
        Files.move(tmp, dir.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    static String staticId(int i) {
        return "static" + i;
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    /** Waits until the gateway reports its model loaded and every configured camera running. */
    MqttProbe.Status awaitReady(MqttProbe probe, long timeoutMillis) throws IOException, InterruptedException {
        long end = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < end) {
            if (!process.isAlive()) {
                throw new IOException("gateway exited with " + process.exitValue() + "; see " + log);
            }
            MqttProbe.Status s = probe.nextStatus(System.currentTimeMillis() - 1, 2000);
            if (s != null && ready(s)) {
                return s;
            }
        }
        throw new IOException("gateway not ready within " + timeoutMillis / 1000 + " s (model loaded, "
                + (staticCameras + 1) + " cameras running); see " + log);
    }

    private boolean ready(MqttProbe.Status s) {
        Object model = s.metrics().get("detector.model.version");
        if (model == null || "null".equals(model) || s.longMetric("cameras") != staticCameras + 1) {
            return false;
        }
        if (!"RUNNING".equals(s.metrics().get("camera." + BUSY + ".state"))) {
            return false;
        }
        for (int i = 1; i <= staticCameras; i++) {
            if (!"RUNNING".equals(s.metrics().get("camera." + staticId(i) + ".state"))) {
                return false;
            }
        }
        return true;
    }

    /** Adds static cameras up to {@code n} (FileInstall picks the files up within its 2 s poll). */
    void setStaticCameras(int n) throws IOException {
        for (int i = staticCameras + 1; i <= n; i++) {
            writeCamera(conf, staticId(i), staticVideo.toAbsolutePath(), options.cameraFps());
        }
        staticCameras = Math.max(staticCameras, n);
    }

    int staticCameras() {
        return staticCameras;
    }

    /** User plus system CPU time of the process so far, in seconds. */
    double cpuSeconds() throws IOException {
        return cpuSeconds(process.pid());
    }

    static double cpuSeconds(long pid) throws IOException {
        String stat = Files.readString(Paths.get("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // after the name: state is field 3, utime 14 and stime 15 (1-based over the whole line)
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        return ticks / 100.0;
    }

    /** A /proc/PID/status field in kB (VmHWM, VmRSS), -1 if absent. */
    long procStatusKiB(String field) throws IOException {
        for (String line : Files.readAllLines(Paths.get("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim());
            }
        }
        return -1;
    }

    private static final Pattern G1 = Pattern.compile("garbage-first heap\\s+total (\\d+)K, used (\\d+)K");
    private static final Pattern GEN = Pattern.compile("total (\\d+)K, used (\\d+)K");

    /** Samples the heap with {@code jcmd PID GC.heap_info}; false when jcmd is not available. */
    boolean sampleHeap() throws InterruptedException {
        Path jcmd = Paths.get(System.getProperty("java.home"), "bin", "jcmd");
        if (!Files.isExecutable(jcmd)) {
            return false;
        }
        try {
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "GC.heap_info")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return false;
            }
            long total = 0;
            long used = 0;
            Matcher g1 = G1.matcher(out);
            if (g1.find()) {
                total = Long.parseLong(g1.group(1));
                used = Long.parseLong(g1.group(2));
            } else {
                // generational collectors print one line per generation
                Matcher m = GEN.matcher(out);
                while (m.find()) {
                    total += Long.parseLong(m.group(1));
                    used += Long.parseLong(m.group(2));
                }
            }
            if (total <= 0) {
                return false;
            }
            synchronized (this) {
                peakHeapCommittedKiB = Math.max(peakHeapCommittedKiB, total);
                peakHeapUsedKiB = Math.max(peakHeapUsedKiB, used);
                heapSamples++;
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    synchronized LoadResults.Memory memory() throws IOException {
        return new LoadResults.Memory(procStatusKiB("VmHWM"), peakHeapUsedKiB, peakHeapCommittedKiB, heapSamples);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}

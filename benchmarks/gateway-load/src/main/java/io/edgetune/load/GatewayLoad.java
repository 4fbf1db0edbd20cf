package io.edgetune.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Load probe of the real gateway runtime: capacity (10-fps cameras sustained
 * next to one busy camera), grab-to-broker latency and memory, with the naive
 * loop measured on the same machine for comparison.
 *
 * <pre>java -jar benchmarks/gateway-load/target/edgetune-gateway-load.jar [--gateway-jar PATH] [--steps 0,1,2,4,8]
 *     [--measure-s 20] [--settle-s 8] [--all-steps] [--no-naive] [--quick] [--assets DIR] [--out FILE.md]</pre>
 * {@code --all-steps} goes on after a step that falls behind (the capacity is still the last step before the first failure).
 */
public final class GatewayLoad {

    private GatewayLoad() {
    }

    /** Runs the measurement; the gateway process is stopped before this returns. */
    public static LoadResults run(LoadOptions o) throws Exception {
        String started = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        String load = loadAverage();
        Path busyVideo = o.assetsDir().resolve("vtest.avi");
        if (!Files.isRegularFile(busyVideo)) {
            throw new IOException("sample video missing: " + busyVideo);
        }
        Path staticVideo = staticVideo(o, busyVideo);
        deleteTree(o.workDir());
        Files.createDirectories(o.workDir());

        List<LoadResults.Step> edge = new ArrayList<>();
        LoadResults.Latency latency = null;
        LoadResults.Memory memory;
        int edgeMax = -1;
        // capacity: the largest step with every step up to it sustained
        boolean edgeFailed = false;
        try (MqttProbe probe = new MqttProbe(); GatewayProcess gw = GatewayProcess.start(o, probe.port(), staticVideo)) {
            o.progress().accept("gateway pid " + gw.pid() + " started, log " + gw.log() + ", broker port " + probe.port());
            gw.awaitReady(probe, 180_000);
            for (int n : o.staticSteps()) {
                gw.setStaticCameras(n);
                gw.awaitReady(probe, 60_000);
                Thread.sleep(o.settleSeconds() * 1000L);
                Window w = measureGateway(o, gw, probe, n);
                edge.add(w.step);
                o.progress().accept(describe(w.step));
                if (latency == null) {
                    latency = w.latency;
                }
                gw.sampleHeap();
                if (!w.step.sustained()) {
                    edgeFailed = true;
                    if (!o.allSteps()) {
                        break;
                    }
                } else if (!edgeFailed) {
                    edgeMax = n;
                }
            }
            memory = gw.memory();
        }
        // kept only when the run failed: the gateway's log is in there
        deleteTree(o.workDir());

        List<LoadResults.Step> naive = new ArrayList<>();
        int naiveMax = -1;
        boolean naiveFailed = false;
        if (o.naive()) {
            try (NaiveLoop loop = new NaiveLoop(o.assetsDir(), o.inferenceThreads(), o.cameraFps())) {
                for (int n : o.staticSteps()) {
                    LoadResults.Step s = loop.measure(busyVideo, staticVideo, n, Math.max(2, o.settleSeconds() / 2), o.measureSeconds(),
                            o.minFpsRatio(), o.maxDropFraction());
                    naive.add(s);
                    o.progress().accept(describe(s));
                    if (!s.sustained()) {
                        naiveFailed = true;
                        if (!o.allSteps()) {
                            break;
                        }
                    } else if (!naiveFailed) {
                        naiveMax = n;
                    }
                }
            }
        }
        return new LoadResults(machine(), started, load, o.cameraFps(), o.minFpsRatio(), o.maxDropFraction(), edge, edgeMax, naive, naiveMax, latency, memory);
    }

    private record Window(LoadResults.Step step, LoadResults.Latency latency) {
    }

    private static Window measureGateway(LoadOptions o, GatewayProcess gw, MqttProbe probe, int n) throws Exception {
        MqttProbe.Status s0 = probe.nextStatus(System.currentTimeMillis(), 5_000);
        double cpu0 = gw.cpuSeconds();
        long c0 = System.nanoTime();
        if (s0 == null) {
            throw new IOException("no status message from the gateway; see " + gw.log());
        }
        Thread.sleep(o.measureSeconds() * 1000L);
        MqttProbe.Status s1 = probe.nextStatus(System.currentTimeMillis(), 5_000);
        double cpu1 = gw.cpuSeconds();
        long c1 = System.nanoTime();
        if (s1 == null) {
            throw new IOException("status messages stopped; see " + gw.log());
        }
        double seconds = (s1.timestampMillis() - s0.timestampMillis()) / 1000.0;
        long grabbed = 0;
        long dropped = 0;
        double worstCameraDrop = 0;
        double busyFps = 0;
        double minStatic = Double.NaN;
        for (int i = 0; i <= n; i++) {
            String id = i == 0 ? GatewayProcess.BUSY : GatewayProcess.staticId(i);
            long g = s1.longMetric("camera." + id + ".frames.grabbed") - s0.longMetric("camera." + id + ".frames.grabbed");
            long d = s1.longMetric("camera." + id + ".frames.dropped") - s0.longMetric("camera." + id + ".frames.dropped");
            grabbed += g;
            dropped += d;
            worstCameraDrop = Math.max(worstCameraDrop, g == 0 ? 1 : (double) d / g);
            double fps = (g - d) / seconds;
            if (i == 0) {
                busyFps = fps;
            } else {
                minStatic = Double.isNaN(minStatic) ? fps : Math.min(minStatic, fps);
            }
        }
        long detectorDropped = Math.max(0, s1.longMetric("detector.dropped") - s0.longMetric("detector.dropped"));
        dropped += detectorDropped;
        // every frame the detector finished is one detections message (only.with.detections=false)
        long detected = probe.arrivals(null, s0.receivedMillis(), s1.receivedMillis()).size();
        double detectorDrop = detected + detectorDropped == 0 ? 0 : (double) detectorDropped / (detected + detectorDropped);
        double drop = grabbed == 0 ? 1 : (double) dropped / grabbed;
        List<MqttProbe.Arrival> arrivals = probe.arrivals(GatewayProcess.BUSY, s0.receivedMillis(), s1.receivedMillis());
        double[] lat = arrivals.stream().mapToDouble(MqttProbe.Arrival::latencyMillis).sorted().toArray();
        double minFps = o.minFpsRatio() * o.cameraFps();
        // per camera and at the detector: a total over many static cameras would hide the busy camera's losses
        boolean ok = busyFps >= minFps && (Double.isNaN(minStatic) || minStatic >= minFps)
                && worstCameraDrop <= o.maxDropFraction() && detectorDrop <= o.maxDropFraction();
        LoadResults.Step step = new LoadResults.Step("edgetune", n, busyFps, minStatic, drop, detectorDrop, (cpu1 - cpu0) / ((c1 - c0) / 1e9),
                arrivals.size() / ((s1.receivedMillis() - s0.receivedMillis()) / 1000.0), percentile(lat, 0.5), percentile(lat, 0.95), ok);
        LoadResults.Latency latency = new LoadResults.Latency(percentile(lat, 0.5), percentile(lat, 0.95),
                lat.length == 0 ? Double.NaN : lat[lat.length - 1], lat.length, n);
        return new Window(step, latency);
    }

    /** Nearest-rank percentile of sorted values; NaN when empty. */
    static double percentile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static Path staticVideo(LoadOptions o, Path busyVideo) throws IOException {
        Path dir = Files.isWritable(o.assetsDir()) ? o.assetsDir() : Paths.get(System.getProperty("java.io.tmpdir"));
        boolean had = Files.isRegularFile(dir.resolve(StaticSceneVideo.FILE_NAME));
        Path v = StaticSceneVideo.ensure(busyVideo, dir, o.cameraFps());
        if (!had) {
            double diff = StaticSceneVideo.firstFramesDifference(v);
            o.progress().accept(String.format(Locale.ROOT, "static scene video written: %s (frame-to-frame noise %.2f grey levels)", v, diff));
        }
        return v;
    }

    private static String describe(LoadResults.Step s) {
        return String.format(Locale.ROOT, "%s, busy + %d static: busy %.1f fps, slowest static %.1f fps, %.1f%% dropped, %.2f cores%s -> %s",
                s.approach(), s.staticCameras(), s.busyFps(), s.minStaticFps(), 100 * s.dropFraction(), s.cpuCores(),
                Double.isNaN(s.latencyP50Ms()) ? "" : String.format(Locale.ROOT, ", latency p50 %.0f p95 %.0f ms", s.latencyP50Ms(), s.latencyP95Ms()),
                s.sustained() ? "keeps up" : "falls behind");
    }

    /** "2 cores, AMD EPYC, 24 GiB": cores, /proc/cpuinfo model name, memory. */
    public static String machine() {
        String cpu = "unknown CPU";
        long memKiB = -1;
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
            for (String line : Files.readAllLines(Paths.get("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    memKiB = Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: keep what we have
        }
        return String.format(Locale.ROOT, "%d cores, %s%s", Runtime.getRuntime().availableProcessors(), cpu,
                memKiB > 0 ? String.format(Locale.ROOT, ", %.0f GiB RAM", memKiB / 1024.0 / 1024.0) : "");
    }

    /** /proc/loadavg (1, 5, 15 min), to show how busy the machine was with other work; "unknown" elsewhere. */
    public static String loadAverage() {
        try {
            String[] f = Files.readString(Paths.get("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    static final String USAGE = String.join(System.lineSeparator(),
            "usage: java -jar edgetune-gateway-load.jar [options]",
            "The real gateway runtime under load (one busy camera plus static cameras, step by step) against the",
            "naive loop: capacity, grab-to-broker latency, memory. A full run takes about 10 minutes.",
            "  --gateway-jar FILE   the gateway runtime (default: features/gateway/target/edgetune-gateway.jar)",
            "  --quick              busy + 1 static camera, short windows (about a minute)",
            "  --steps N,N,...      static cameras per step (default: 0,1,2,4,8,12,16,24,32)",
            "  --measure-s S        seconds measured per step (default: 20)",
            "  --settle-s S         seconds before measuring each step (default: 8)",
            "  --all-steps          go on past the first step that does not keep up",
            "  --no-naive           skip the naive loop",
            "  --assets DIR         model, labels and vtest.avi (default: -Dedgetune.assets or ~/.cache/edgetune)",
            "  --out FILE           also write the Markdown report there",
            "  --help");

    /** What the command line asks for: the options, where the report goes, or only the usage. */
    record Command(LoadOptions options, Path out, boolean help) {
    }

    /** Parses the command line; unknown options and missing or malformed values are refused with a clear message. */
    static Command parse(List<String> args) {
        Path jar = Paths.get("features/gateway/target/edgetune-gateway.jar");
        boolean quick = false;
        boolean allSteps = false;
        boolean naive = true;
        List<Integer> steps = null;
        Integer measure = null;
        Integer settle = null;
        Path assets = null;
        Path out = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--help", "-h" -> {
                    return new Command(null, null, true);
                }
                case "--gateway-jar" -> jar = Paths.get(value(args, i++));
                case "--quick" -> quick = true;
                case "--all-steps" -> allSteps = true;
                case "--no-naive" -> naive = false;
                case "--steps" -> {
                    String v = value(args, i++);
                    try {
                        steps = Arrays.stream(v.split(",")).map(String::trim).map(Integer::valueOf).toList();
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--steps needs comma-separated numbers, not '" + v + "'");
                    }
                }
                case "--measure-s" -> measure = seconds(args, i++, 1);
                case "--settle-s" -> settle = seconds(args, i++, 0);
                case "--assets" -> assets = Paths.get(value(args, i++));
                case "--out" -> out = Paths.get(value(args, i++));
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        LoadOptions o = quick ? LoadOptions.quick(jar) : LoadOptions.defaults(jar);
        if (steps != null) {
            o = o.withStaticSteps(steps);
        }
        if (measure != null || settle != null) {
            o = o.withWindows(settle == null ? o.settleSeconds() : settle, measure == null ? o.measureSeconds() : measure);
        }
        o = o.withAllSteps(allSteps).withNaive(naive);
        if (assets != null) {
            o = o.withAssetsDir(assets);
        }
        return new Command(o, out, false);
    }

    private static String value(List<String> args, int i) {
        if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
            throw new IllegalArgumentException(args.get(i) + " needs a value");
        }
        return args.get(i + 1);
    }

    private static int seconds(List<String> args, int i, int min) {
        String v = value(args, i);
        try {
            int n = Integer.parseInt(v);
            if (n < min) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(args.get(i) + " needs a whole number of seconds >= " + min + ", not '" + v + "'");
        }
    }

    public static void main(String[] args) throws Exception {
        Command c;
        try {
            c = parse(Arrays.asList(args));
        } catch (IllegalArgumentException e) {
            System.err.println("edgetune-gateway-load: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        if (c.help()) {
            System.out.println(USAGE);
            return;
        }
        LoadResults r = run(c.options());
        String md = r.markdown();
        System.out.println(md);
        if (c.out() != null) {
            Files.writeString(c.out(), md);
        }
        // Moquette and JavaCPP leave non-daemon threads behind
        System.exit(0);
    }
}

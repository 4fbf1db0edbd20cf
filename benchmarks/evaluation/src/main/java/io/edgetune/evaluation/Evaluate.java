package io.edgetune.evaluation;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;

/**
 * The evaluation command: {@code java -jar benchmarks/evaluation/target/edgetune-evaluate.jar [options]}.
 * Prints a progress bar on stderr and the summary on stdout; writes report.md and PNG plots.
 */
public final class Evaluate {

    private static final String USAGE = String.join("\n",
            "usage: java -jar edgetune-evaluate.jar [options]",
            "  --video FILE         video to evaluate (default: <assets>/vtest.avi)",
            "  --frames N           process only the first N frames (default: all)",
            "  --out DIR            report directory (default: ./edgetune-report)",
            "  --model FILE         a second .tflite model (e.g. retrained) to compare with the base, same label map",
            "  --base-model FILE    the base model (default: <assets>/ssd_mobilenetv2_oidv4_fp16.tflite)",
            "  --labels FILE        label map (default: <assets>/oidv4_labelmap.txt)",
            "  --teacher-every N    teacher-label every N-th frame after the motion warm-up (default: 5)",
            "  --cache DIR          where teacher labels are cached (default: <assets>)",
            "  --threads N          interpreter threads (default: 2, as the gateway)",
            "  --threshold S        operating score threshold for recall/precision (default: 0.5)",
            "  --frames-drawn N     annotated frames in the report (default: 3)",
            "  --static-frames N    frames of the static-scene runs (default: 200; 0 = skip them)",
            "  --load               also run the gateway load probe: capacity, latency, memory of the real gateway",
            "                       runtime (about 10 minutes; --load-quick: about a minute, one static camera)",
            "  --gateway-jar FILE   the gateway runtime for --load (default: features/gateway/target/edgetune-gateway.jar)",
            "  --assets DIR         asset directory (default: $EDGETUNE_ASSETS, -Dedgetune.assets or ~/.cache/edgetune)",
            "  --help");

    private Evaluate() {
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        // as the gateway runs OpenCV (the bytedeco bundle's activator)
        org.bytedeco.opencv.global.opencv_core.setNumThreads(io.edgetune.api.config.OpenCvThreads.resolve(System::getProperty).threads());
        try {
            EvaluationOptions o = parse(args);
            if (o == null) {
                System.out.println(USAGE);
                return;
            }
            Path report = run(o);
            System.out.println("report: " + report.toAbsolutePath());
            // JavaCPP (and the load probe's broker) leave non-daemon threads behind
            System.exit(0);
        } catch (IllegalArgumentException e) {
            System.err.println("edgetune-evaluate: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
        } catch (Exception e) {
            System.err.println("edgetune-evaluate failed: " + e);
            System.exit(1);
        }
    }

    /** Runs the evaluation and writes the report; returns report.md. */
    static Path run(EvaluationOptions o) throws Exception {
        Evaluation.Result result = new Evaluation(o).run();
        if (o.load()) {
            result.loadMarkdown = LoadSection.run(o);
        }
        Path report = new ReportWriter(result).write(o.outDir());
        printSummary(result);
        return report;
    }

    private static void printSummary(Evaluation.Result r) {
        System.out.println();
        System.out.println(String.format(Locale.ROOT, "%-44s %8s %12s %9s %8s %8s %8s", "run", "fps", "CPU ms/frame", "skipped", "recall", "precis.", "AP@0.5"));
        for (RunResult x : r.runs) {
            System.out.println(String.format(Locale.ROOT, "%-44s %8.1f %12.1f %8.1f%% %8s %8s %8s", x.name(), x.fps(),
                    x.cpuSecondsPerFrame() * 1000, x.skippedPercent(), ReportWriter.fmt3(x.quality.recall()),
                    ReportWriter.fmt3(x.quality.precision()), ReportWriter.fmt3(x.quality.ap())));
        }
    }

    static EvaluationOptions parse(String[] args) {
        String env = System.getenv("EDGETUNE_ASSETS");
        if (System.getProperty("edgetune.assets") == null && env != null && !env.isBlank()) {
            System.setProperty("edgetune.assets", env);
        }
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--assets")) {
                System.setProperty("edgetune.assets", value(args, i));
            }
        }
        EvaluationOptions.Builder o = new EvaluationOptions.Builder(EvaluationOptions.defaults());
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--help", "-h" -> {
                    return null;
                }
                case "--video" -> o.video = Paths.get(value(args, i++));
                case "--frames" -> o.maxFrames = integer(args, i++);
                case "--out" -> o.outDir = Paths.get(value(args, i++));
                case "--model" -> o.otherModel = Paths.get(value(args, i++));
                case "--base-model" -> o.modelFile = Paths.get(value(args, i++));
                case "--labels" -> o.labelMap = Paths.get(value(args, i++));
                case "--teacher-every" -> o.teacherEvery = integer(args, i++);
                case "--cache" -> o.cacheDir = Paths.get(value(args, i++));
                case "--threads" -> o.threads = integer(args, i++);
                case "--threshold" -> {
                    float t = Float.parseFloat(value(args, i++));
                    o.collectThreshold = Math.min(o.collectThreshold, t);
                    o.operatingThreshold = t;
                }
                case "--frames-drawn" -> o.annotatedFrames = integer(args, i++);
                case "--static-frames" -> o.staticFrames = integer(args, i++);
                case "--load" -> o.load = true;
                case "--load-quick" -> {
                    o.load = true;
                    o.loadQuick = true;
                }
                case "--gateway-jar" -> o.gatewayJar = Paths.get(value(args, i++));
                case "--assets" -> i++;
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        return o.build();
    }

    private static String value(String[] args, int i) {
        if (i + 1 >= args.length) {
            throw new IllegalArgumentException(args[i] + " needs a value");
        }
        return args[i + 1];
    }

    private static int integer(String[] args, int i) {
        String v = value(args, i);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(args[i] + " needs a whole number, got '" + v + "'");
        }
    }
}

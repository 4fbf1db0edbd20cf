package io.edgetune.evaluation;

import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.function.Consumer;

/**
 * What one evaluation run does.
 *
 * @param video              the video to process (file or stream URL FFmpeg opens)
 * @param maxFrames          frames to process from the start; 0 = the whole video
 * @param outDir             where the report and plots go
 * @param modelFile          the base model (SSD MobileNet V2 .tflite, float input)
 * @param labelMap           its label map, one label per line, index 0 = background
 * @param otherModel         a second model with the same label map (e.g. after retraining) shown next to the base; null for none
 * @param teacherEvery       label every n-th frame after the motion warm-up with the teacher
 * @param cacheDir           where teacher labels are cached
 * @param threads            interpreter threads (the gateway's default is 2)
 * @param collectThreshold   lowest score the detector reports during the runs (AP needs the low scores)
 * @param operatingThreshold score at which recall and precision are reported (the gateway's default is 0.5)
 * @param annotatedFrames    how many annotated frames to draw
 * @param staticFrames       frames of the static-scene runs (the video's background with sensor noise); 0 = none
 * @param load               also run the gateway load probe (capacity, latency, memory; takes minutes)
 * @param loadQuick          the probe's short variant (one static camera, short windows)
 * @param gatewayJar         the gateway runtime the probe starts
 * @param progress           where the progress bar goes
 * @param terminal           redraw the bar in place (a terminal) or print one line per 10%
 */
record EvaluationOptions(Path video, int maxFrames, Path outDir, Path modelFile, Path labelMap, Path otherModel,
                         int teacherEvery, Path cacheDir, int threads, float collectThreshold, float operatingThreshold,
                         int annotatedFrames, int staticFrames, boolean load, boolean loadQuick, Path gatewayJar,
                         PrintStream progress, boolean terminal) {

    EvaluationOptions {
        if (maxFrames < 0 || teacherEvery < 1 || threads < 1 || annotatedFrames < 0 || staticFrames < 0) {
            throw new IllegalArgumentException("frames >= 0, teacher-every >= 1, threads >= 1 required");
        }
        if (!(collectThreshold > 0 && collectThreshold <= operatingThreshold && operatingThreshold <= 1)) {
            throw new IllegalArgumentException("need 0 < collect threshold <= operating threshold <= 1");
        }
    }

    static Path defaultAssets() {
        String d = System.getProperty("edgetune.assets");
        return d != null && !d.isBlank() ? Paths.get(d) : Paths.get(System.getProperty("user.home"), ".cache", "edgetune");
    }

    static EvaluationOptions defaults() {
        Path assets = defaultAssets();
        return new EvaluationOptions(assets.resolve("vtest.avi"), 0, Paths.get("edgetune-report"),
                assets.resolve("ssd_mobilenetv2_oidv4_fp16.tflite"), assets.resolve("oidv4_labelmap.txt"), null,
                5, assets, 2, 0.1f, 0.5f, 3, 200, false, false, Paths.get("features/gateway/target/edgetune-gateway.jar"),
                System.err, System.console() != null);
    }

    /** A copy with some options changed, e.g. {@code o.with(b -> b.maxFrames = 100)}. */
    EvaluationOptions with(Consumer<Builder> change) {
        Builder b = new Builder(this);
        change.accept(b);
        return b.build();
    }

    EvaluationOptions withProgress(PrintStream out, boolean isTerminal) {
        return with(b -> {
            b.progress = out;
            b.terminal = isTerminal;
        });
    }

    /** The options as a command line is being read: fields to set, then {@link #build()} checks them. */
    static final class Builder {
        Path video;
        int maxFrames;
        Path outDir;
        Path modelFile;
        Path labelMap;
        Path otherModel;
        int teacherEvery;
        Path cacheDir;
        int threads;
        float collectThreshold;
        float operatingThreshold;
        int annotatedFrames;
        int staticFrames;
        boolean load;
        boolean loadQuick;
        Path gatewayJar;
        PrintStream progress;
        boolean terminal;

        Builder(EvaluationOptions o) {
            video = o.video;
            maxFrames = o.maxFrames;
            outDir = o.outDir;
            modelFile = o.modelFile;
            labelMap = o.labelMap;
            otherModel = o.otherModel;
            teacherEvery = o.teacherEvery;
            cacheDir = o.cacheDir;
            threads = o.threads;
            collectThreshold = o.collectThreshold;
            operatingThreshold = o.operatingThreshold;
            annotatedFrames = o.annotatedFrames;
            staticFrames = o.staticFrames;
            load = o.load;
            loadQuick = o.loadQuick;
            gatewayJar = o.gatewayJar;
            progress = o.progress;
            terminal = o.terminal;
        }

        EvaluationOptions build() {
            return new EvaluationOptions(video, maxFrames, outDir, modelFile, labelMap, otherModel, teacherEvery, cacheDir,
                    threads, collectThreshold, operatingThreshold, annotatedFrames, staticFrames, load, loadQuick, gatewayJar,
                    progress, terminal);
        }
    }
}

package io.edgetune.evaluation;

import io.edgetune.api.detect.Detection;
import io.edgetune.metrics.Report;
import io.edgetune.metrics.SizeReport;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Figures of one mode with one model over the video. */
final class RunResult {

    final Mode mode;
    final String model;
    int frames;
    long wallNanos;
    long cpuNanos;
    long decodeNanos;
    long motionNanos;
    long prepareNanos;
    long inferenceNanos;
    long postNanos;
    /** CPU time of the pipeline thread in these stages (the interpreter's own worker threads are not in them) */
    long decodeCpuNanos;
    long motionCpuNanos;
    long prepareCpuNanos;
    long postCpuNanos;
    /** frames on which the detector ran */
    int inferredFrames;
    /** detector passes (crops) over all frames */
    int passes;
    /** frames the motion stage spent warming up its background (no inference by design) */
    int warmupFrames;
    /** frames after the warm-up without inference (nothing moved) */
    int staticFrames;
    /** detections (at the collection threshold) of the labelled frames; an empty list where inference was skipped */
    final Map<Integer, List<Detection>> skippedEmpty = new TreeMap<>();
    /** the same, but a skipped frame repeats the last detections of this run */
    final Map<Integer, List<Detection>> skippedCarried = new TreeMap<>();
    /** labelled frames on which this run skipped inference */
    int labelledSkipped;

    Report quality;
    Report qualityCarried;
    List<SizeReport> bySize;
    List<SizeReport> bySizeCarried;

    RunResult(Mode mode, String model) {
        this.mode = mode;
        this.model = model;
    }

    String name() {
        return mode.label() + (model.isEmpty() ? "" : " [" + model + "]");
    }

    double fps() {
        return frames / (wallNanos / 1e9);
    }

    double cpuSecondsPerFrame() {
        return cpuNanos / 1e9 / frames;
    }

    double msPerFrame(long nanos) {
        return nanos / 1e6 / frames;
    }

    /**
     * Process CPU not spent by the pipeline thread in decode, motion, preparation or post-processing: the
     * interpreter (all its threads) plus a little JIT and GC.
     */
    long inferenceAndRestCpuNanos() {
        return Math.max(0, cpuNanos - decodeCpuNanos - motionCpuNanos - prepareCpuNanos - postCpuNanos);
    }

    int skippedFrames() {
        return frames - inferredFrames;
    }

    double skippedPercent() {
        return 100.0 * skippedFrames() / frames;
    }

    /** Share of the frames after the motion warm-up that skipped inference (the steady state of a camera). */
    double skippedAfterWarmupPercent() {
        int after = frames - warmupFrames;
        return after <= 0 ? 0 : 100.0 * staticFrames / after;
    }
}

package io.edgetune.evaluation;

import io.edgetune.api.detect.Detection;
import io.edgetune.capture.decode.VideoDecoder;
import io.edgetune.metrics.ClassReport;
import io.edgetune.metrics.Report;
import io.edgetune.metrics.SizeReport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Writes report.md and its PNG plots into the output directory. */
final class ReportWriter {

    private final Evaluation.Result r;
    private final StringBuilder md = new StringBuilder();

    ReportWriter(Evaluation.Result result) {
        this.r = result;
    }

    /** @return the Markdown file */
    Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        EvaluationOptions o = r.options;
        List<RunResult> runs = r.runs;
        line("# EdgeTune evaluation: speed and quality against the naive loop");
        line("");
        line("- **Machine:** " + r.machine);
        line("- **Run:** " + r.startedUtc + " (load average 1/5/15 min at start: " + r.loadAverage
                + ", at the end: " + r.loadAverageEnd + "; other work on the machine slows the runs)");
        line(String.format(Locale.ROOT, "- **Video:** `%s`, %dx%d, %s fps, %d frames processed", r.videoName, r.width, r.height,
                r.videoFps > 0 ? fmt1(r.videoFps) : "?", r.frames));
        line("- **Model:** `" + o.modelFile().getFileName() + "`" + (o.otherModel() != null
                ? " (base) and `" + o.otherModel().getFileName() + "` (compared), same label map" : ""));
        line(String.format(Locale.ROOT, "- **Detector:** score threshold %.2f while collecting (for AP), operating threshold %.2f "
                + "for recall/precision; NMS IoU 0.5, at most 50 boxes", o.collectThreshold(), o.operatingThreshold()));
        line("- **Runs:** " + String.join("; ", describeModes()));
        line("");

        line("## Throughput and CPU cost");
        line("");
        line("Offline, as fast as possible, one frame after the other in one thread (the interpreter uses "
                + o.threads() + " threads). CPU is the process's CPU time (all threads) divided by frames.");
        line("");
        line("| run | fps | CPU s/frame | cores busy | frames | inference runs | detector passes | fps vs (a) | CPU vs (a) |");
        line("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (RunResult x : runs) {
            RunResult a = r.run(Mode.NAIVE, x.model);
            line(String.format(Locale.ROOT, "| %s | %.1f | %.4f | %.2f | %d | %d | %d | %s | %s |", x.name(), x.fps(),
                    x.cpuSecondsPerFrame(), x.cpuNanos / (double) x.wallNanos, x.frames, x.inferredFrames, x.passes,
                    ratio(x.fps() / a.fps()), ratio(x.cpuSecondsPerFrame() / a.cpuSecondsPerFrame())));
        }
        line("");

        line("## Stage costs");
        line("");
        line("Milliseconds per frame, averaged over **all** frames (a skipped frame costs decode and motion only). "
                + "Preparation = crop, resize, colour conversion and scaling into the input tensor; post-processing = SSD "
                + "decoding and NMS. CPU time is the robust figure on a shared machine: decode, motion, preparation and "
                + "post-processing are the pipeline thread's CPU time in that stage; inference is the rest of the "
                + "process's CPU time (the interpreter's threads, plus a little JIT and GC).");
        line("");
        line("CPU ms per frame:");
        line("");
        stageTable(runs, true);
        line("");
        line("Wall-clock ms per frame (inflated when other work competes for the cores):");
        line("");
        stageTable(runs, false);
        line("");
        line("| run | skipped inference | skipped after the motion warm-up | detector passes per inferred frame | wall ms per detector pass (inference only) |");
        line("|---|---:|---:|---:|---:|");
        for (RunResult x : runs) {
            line(String.format(Locale.ROOT, "| %s | %.1f%% (%d of %d) | %s | %.2f | %.1f |", x.name(), x.skippedPercent(),
                    x.skippedFrames(), x.frames, x.mode == Mode.NAIVE ? "-" : String.format(Locale.ROOT, "%.1f%% (after %d warm-up frames)",
                            x.skippedAfterWarmupPercent(), x.warmupFrames),
                    x.inferredFrames == 0 ? 0 : (double) x.passes / x.inferredFrames, x.passes == 0 ? 0 : x.inferenceNanos / 1e6 / x.passes));
        }
        line("");
        Plots.stageBars(runs, true, dir.resolve("stages.png"));
        Plots.stageBars(runs, false, dir.resolve("stages-wall.png"));
        line("![CPU time per frame by stage](stages.png)");
        line("");
        line("![wall-clock time per frame by stage](stages-wall.png)");
        line("");

        staticSection();
        qualitySection(dir);
        framesSection(dir);

        line("## Capacity, latency, memory");
        line("");
        if (r.loadMarkdown != null) {
            md.append(r.loadMarkdown);
            line("");
        } else {
            line("Not measured in this run. Capacity (how many 10-fps cameras one gateway sustains), detection latency "
                    + "(grabber to broker, p50/p95) and peak memory are measured against the real gateway runtime by the "
                    + "gateway load probe, `benchmarks/gateway-load` (`java -jar benchmarks/gateway-load/target/edgetune-gateway-load.jar`); "
                    + "`--load` runs it as part of this report.");
            line("");
        }

        line("## How these figures are made");
        line("");
        line("- All runs use the real EdgeTune classes on a plain class path: the capture bundle's FFmpeg decoder, the motion "
                + "bundle's `MotionEngine` with its default settings, the inference bundle's TFLite engine with its SSD input "
                + "preparation, decoder and NMS (timed step by step), and the annotator's `Teacher`.");
        line("- (b) and (c) skip inference where the motion stage reports no regions: during its background warm-up (the "
                + "first " + r.motionWarmup + " frames) and whenever nothing moves. The quality tables score a skipped frame "
                + "as **no boxes** (the honest cost of gating); the *carried* rows instead repeat the run's last boxes, "
                + "as a consumer that keeps the last result would see them.");
        line("- Quality is measured on the teacher-labelled frames only (every " + o.teacherEvery() + "th frame after the motion "
                + "warm-up). Teacher labels are cached in `" + r.teacherCacheFile + "`.");
        line("- AP@0.5: all-point interpolated area under the precision/recall curve per class, mean over classes with "
                + "truths (`io.edgetune.metrics`). Small = box area below 32² px (COCO); a matched prediction counts in "
                + "its truth's size bucket, an unmatched one in its own.");
        line("- The teacher runs the base model too, and its full-frame pass is one of the passes it fuses: a base-model "
                + "full-frame box above the operating threshold is nearly always among the teacher's labels, so the "
                + "full-frame runs' precision is close to 1 by construction. A crop run's extra boxes count as false "
                + "positives when the teacher did not keep them, even where they are real objects. Recall is the "
                + "informative figure: what each run misses of what the stronger pass sees.");
        line("- AP is the mean over the classes the teacher labelled; classes with few, hard boxes (e.g. small "
                + "footwear) pull it down as much as a class with many boxes. The per-class table shows the parts.");
        line("- A video where people move in almost every frame (like the sample) leaves motion gating little to "
                + "skip; on static scenes (most cameras, most of the time) the skipped share rises and the gated runs' "
                + "cost falls with it. The gateway load probe measures that case (static cameras).");
        line("");
        Path file = dir.resolve("report.md");
        Files.writeString(file, md.toString(), StandardCharsets.UTF_8);
        return file;
    }

    private void staticSection() {
        if (r.staticRuns.isEmpty()) {
            return;
        }
        RunResult a = r.staticRuns.get(0);
        line("## Static scene: a camera where nothing moves");
        line("");
        line(String.format(Locale.ROOT, "The same three runs (base model) on %d frames of `%s`: the video's own background "
                + "(per-pixel median over the video) with fresh sensor noise in every frame, as most cameras show most of "
                + "the time. The motion stage's first %d frames are its background warm-up (no inference).",
                a.frames, r.staticVideo.getFileName(), r.motionWarmup));
        line("");
        line("| run | fps | CPU s/frame | CPU vs (a) | decode CPU ms/frame | CPU / decode | frames with inference | skipped inference | skipped after the warm-up |");
        line("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (RunResult x : r.staticRuns) {
            double decodeMs = x.decodeCpuNanos / 1e6 / Math.max(1, x.frames);
            line(String.format(Locale.ROOT, "| %s | %.1f | %.4f | %s | %.2f | %.2fx | %d of %d | %.1f%% | %s |", x.name(), x.fps(), x.cpuSecondsPerFrame(),
                    ratio(x.cpuSecondsPerFrame() / a.cpuSecondsPerFrame()), decodeMs, x.cpuSecondsPerFrame() * 1000 / Math.max(1e-9, decodeMs),
                    x.inferredFrames, x.frames, x.skippedPercent(),
                    x.mode == Mode.NAIVE ? "-" : String.format(Locale.ROOT, "%.1f%%", x.skippedAfterWarmupPercent())));
        }
        line("");
    }

    private void stageTable(List<RunResult> runs, boolean cpu) {
        line("| run | decode | motion | preparation | inference | post-processing | total |");
        line("|---|---:|---:|---:|---:|---:|---:|");
        for (RunResult x : runs) {
            long[] p = Plots.parts(x, cpu);
            line(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |", x.name(), x.msPerFrame(p[0]),
                    x.msPerFrame(p[1]), x.msPerFrame(p[2]), x.msPerFrame(p[3]), x.msPerFrame(p[4]),
                    x.msPerFrame(p[0] + p[1] + p[2] + p[3] + p[4])));
        }
    }

    private List<String> describeModes() {
        List<String> out = new ArrayList<>();
        for (Mode m : Mode.values()) {
            out.add(m.label() + ": " + m.description);
        }
        return out;
    }

    private void qualitySection(Path dir) throws IOException {
        EvaluationOptions o = r.options;
        int truths = 0;
        int small = 0;
        for (List<Detection> t : r.teacher.values()) {
            truths += t.size();
            for (Detection d : t) {
                if (d.area() < 32 * 32) {
                    small++;
                }
            }
        }
        line("## Quality against teacher labels (IoU 0.5)");
        line("");
        line(String.format(Locale.ROOT, "Reference: %s. %d frames labelled (every %dth after the motion warm-up; %d from the cache%s), "
                        + "%d boxes, %d of them small.", Evaluation.TEACHER_DESCRIPTION, r.teacher.size(), o.teacherEvery(),
                r.teacherFromCache, Double.isNaN(r.teacherSecondsPerFrame) ? "" : String.format(Locale.ROOT,
                        ", %.2f s per newly labelled frame", r.teacherSecondsPerFrame), truths, small));
        line("");
        line(String.format(Locale.ROOT, "| run | skipped frames scored as | labelled frames skipped | recall @%.2f | precision @%.2f | AP@0.5 | AP@0.5 small | recall small |",
                o.operatingThreshold(), o.operatingThreshold()));
        line("|---|---|---:|---:|---:|---:|---:|---:|");
        for (RunResult x : r.runs) {
            qualityRow(x, x.quality, x.mode == Mode.NAIVE ? "(none skipped)" : "no boxes");
            if (x.mode != Mode.NAIVE) {
                qualityRow(x, x.qualityCarried, "last boxes carried");
            }
        }
        line("");
        line("Recall by object size (skipped frames have no boxes):");
        line("");
        StringBuilder head = new StringBuilder("| run |");
        StringBuilder rule = new StringBuilder("|---|");
        for (SizeReport s : r.runs.get(0).bySize) {
            head.append(String.format(Locale.ROOT, " %s %s px² (%d) |", s.name(), Plots.bucketRange(s), s.truths()));
            rule.append("---:|");
        }
        line(head.toString());
        line(rule.toString());
        for (RunResult x : r.runs) {
            StringBuilder row = new StringBuilder("| " + x.name() + " |");
            for (SizeReport s : x.bySize) {
                row.append(' ').append(fmt3(s.recall())).append(" |");
            }
            line(row.toString());
        }
        line("");
        Plots.recallBySize(r.runs, dir.resolve("recall-by-size.png"));
        line("![recall by object size](recall-by-size.png)");
        line("");
        line("Per class (classes with teacher boxes; AP@0.5 / recall):");
        line("");
        Map<Integer, String> names = new TreeMap<>();
        for (ClassReport c : r.runs.get(0).quality.perClass()) {
            if (c.truths() > 0) {
                names.put(c.classId(), c.label() + " (" + c.truths() + ")");
            }
        }
        StringBuilder h = new StringBuilder("| run |");
        StringBuilder u = new StringBuilder("|---|");
        for (String n : names.values()) {
            h.append(' ').append(n).append(" |");
            u.append("---:|");
        }
        line(h.toString());
        line(u.toString());
        for (RunResult x : r.runs) {
            StringBuilder row = new StringBuilder("| " + x.name() + " |");
            for (Integer id : names.keySet()) {
                ClassReport c = x.quality.perClass().stream().filter(k -> k.classId() == id).findFirst().orElse(null);
                row.append(' ').append(c == null ? "n/a" : fmt3(c.ap()) + " / " + fmt3(c.recall())).append(" |");
            }
            line(row.toString());
        }
        line("");
    }

    private void qualityRow(RunResult x, Report q, String policy) {
        line(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | %s | %s | %s |", x.name(), policy, x.labelledSkipped,
                fmt3(q.recall()), fmt3(q.precision()), fmt3(q.ap()), fmt3(q.apSmall()), fmt3(q.recallSmall())));
    }

    /** The labelled frames with the most teacher boxes, spread over the video, drawn with teacher and edge boxes. */
    private void framesSection(Path dir) throws IOException {
        int wanted = r.options.annotatedFrames();
        if (wanted == 0 || r.teacher.isEmpty()) {
            return;
        }
        List<Integer> byBoxes = new ArrayList<>(r.teacher.keySet());
        byBoxes.sort(Comparator.comparingInt((Integer n) -> -r.teacher.get(n).size()).thenComparingInt(n -> n));
        int spacing = Math.max(1, r.frames / (wanted * 2));
        List<Integer> chosen = new ArrayList<>();
        for (Integer n : byBoxes) {
            if (chosen.size() == wanted) {
                break;
            }
            if (chosen.stream().allMatch(c -> Math.abs(c - n) >= spacing)) {
                chosen.add(n);
            }
        }
        chosen.sort(Integer::compare);
        Map<Integer, byte[]> pixels = decode(chosen);
        RunResult naive = r.runs.get(0);
        RunResult edge = r.run(Mode.REGIONS, naive.model);
        line("## Annotated frames");
        line("");
        line(String.format(Locale.ROOT, "Green: teacher labels; blue: %s; red: %s (boxes at score >= %.2f).",
                naive.name(), edge.name(), r.options.operatingThreshold()));
        line("");
        for (Integer n : chosen) {
            String name = String.format(Locale.ROOT, "frame-%05d.png", n);
            Plots.annotatedFrame(pixels.get(n), r.width, r.height, "frame " + n + " of " + r.videoName, r.teacher.get(n),
                    naive.skippedEmpty.getOrDefault(n, List.of()), naive.name(), edge.skippedEmpty.getOrDefault(n, List.of()),
                    edge.name(), r.options.operatingThreshold(), dir.resolve(name));
            line("![frame " + n + "](" + name + ")");
            line("");
        }
    }

    private Map<Integer, byte[]> decode(List<Integer> frames) throws IOException {
        Map<Integer, byte[]> out = new TreeMap<>();
        int last = frames.stream().mapToInt(Integer::intValue).max().orElse(-1);
        ByteBuffer buf = ByteBuffer.allocateDirect(r.width * r.height * 3);
        try (VideoDecoder source = new VideoDecoder(r.options.video().toString())) {
            source.open();
            for (int n = 0; n <= last && source.next(); n++) {
                if (frames.contains(n)) {
                    source.copyTo(buf);
                    byte[] b = new byte[r.width * r.height * 3];
                    buf.get(0, b);
                    out.put(n, b);
                }
            }
        }
        return out;
    }

    private void line(String s) {
        md.append(s).append('\n');
    }

    static String fmt3(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
    }

    static String fmt1(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String ratio(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.2fx", v) : "n/a";
    }
}

package io.edgetune.evaluation;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import io.edgetune.metrics.Report;
import io.edgetune.metrics.SizeReport;
import java.awt.image.BufferedImage;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The command end to end on the first 60 frames of the real sample video, teacher on 6 of them: once with the
 * base model only (labels the teacher frames), then on the first 40 frames with a second model (the teacher
 * labels come from the cache; the second model is a copy of the base, so both must give identical detections).
 */
public class EvaluateCommandTest {

    private static final int FRAMES = 60;
    private static final int COMPARED_FRAMES = 40;
    private static Path out;
    private static Path outCompared;
    private static Evaluation.Result single;
    private static Evaluation.Result compared;

    @BeforeClass
    public static void runTwice() throws Exception {
        Path target = Paths.get("target").toAbsolutePath();
        Path cache = target.resolve("teacher-cache");
        deleteTree(cache);
        out = target.resolve("evaluation-test-report");
        outCompared = target.resolve("evaluation-test-report-compared");
        deleteTree(out);
        deleteTree(outCompared);
        PrintStream progress = System.err;
        EvaluationOptions o = Evaluate.parse(new String[] {"--frames", Integer.toString(FRAMES), "--teacher-every", "7",
            "--out", out.toString(), "--cache", cache.toString(), "--static-frames", "40"}).withProgress(progress, false);
        single = new Evaluation(o).run();
        new ReportWriter(single).write(out);

        Path copy = target.resolve("retrained-copy.tflite");
        Files.copy(o.modelFile(), copy, StandardCopyOption.REPLACE_EXISTING);
        // shorter: frames 20, 27 and 34 of the first run's labels
        compared = new Evaluation(o.with(b -> {
            b.otherModel = copy;
            b.outDir = outCompared;
            b.maxFrames = COMPARED_FRAMES;
            b.staticFrames = 0;
        })).run();
        new ReportWriter(compared).write(outCompared);
    }

    @Test
    public void theReportAndItsPlotsAreWritten() throws Exception {
        String md = Files.readString(out.resolve("report.md"));
        for (Mode m : Mode.values()) {
            assertTrue(m.label(), md.contains(m.label()));
        }
        assertTrue(md.contains("AP@0.5") && md.contains("Stage costs") && md.contains("Capacity, latency, memory"));
        assertImage(out.resolve("stages.png"));
        assertImage(out.resolve("stages-wall.png"));
        assertImage(out.resolve("recall-by-size.png"));
        List<Path> frames;
        try (Stream<Path> s = Files.list(out)) {
            frames = s.filter(p -> p.getFileName().toString().startsWith("frame-")).toList();
        }
        assertEquals(3, frames.size());
        for (Path f : frames) {
            BufferedImage img = assertImage(f);
            assertEquals(single.width, img.getWidth());
            assertTrue(md.contains(f.getFileName().toString()));
        }
    }

    @Test
    public void theNaiveLoopInfersOnEveryFrameAndTheGatedRunsSkipSome() {
        assertEquals(FRAMES, single.frames);
        assertEquals(3, single.runs.size());
        RunResult a = single.run(Mode.NAIVE, "");
        RunResult b = single.run(Mode.GATED, "");
        RunResult c = single.run(Mode.REGIONS, "");
        assertEquals(FRAMES, a.frames);
        assertEquals(FRAMES, a.inferredFrames);
        assertEquals(FRAMES, a.passes);
        assertEquals(0, a.skippedFrames());
        assertEquals(0, a.motionNanos);
        // the motion stage skips its background warm-up at least; both gated runs see the same motion decisions
        assertTrue(b.skippedFrames() >= single.motionWarmup);
        assertEquals(single.motionWarmup, b.warmupFrames);
        assertEquals(b.inferredFrames, c.inferredFrames);
        assertEquals(b.inferredFrames, b.passes);
        assertTrue("crops: at least one per inferred frame", c.passes >= c.inferredFrames);
        for (RunResult r : single.runs) {
            assertEquals(FRAMES, r.frames);
            assertTrue(r.name(), r.wallNanos > 0 && r.cpuNanos > 0 && r.fps() > 0);
            assertTrue(r.name(), r.decodeNanos > 0 && r.prepareNanos > 0 && r.inferenceNanos > 0 && r.postNanos > 0);
            assertTrue(r.name(), r.mode == Mode.NAIVE || r.motionNanos > 0);
            long stages = r.decodeNanos + r.motionNanos + r.prepareNanos + r.inferenceNanos + r.postNanos;
            assertTrue(r.name() + ": stages fit in the run's wall time", stages <= r.wallNanos);
            assertTrue(r.name(), r.decodeCpuNanos > 0 && r.prepareCpuNanos > 0 && r.postCpuNanos > 0);
            assertTrue(r.name(), r.mode == Mode.NAIVE ? r.motionCpuNanos == 0 : r.motionCpuNanos > 0);
            long threadStages = r.decodeCpuNanos + r.motionCpuNanos + r.prepareCpuNanos + r.postCpuNanos;
            assertTrue(r.name() + ": the pipeline thread's stages are part of the process CPU, inference is most of it",
                    threadStages < r.cpuNanos && r.inferenceAndRestCpuNanos() > threadStages);
        }
    }

    @Test
    public void onAStaticSceneTheGatedRunsSkipInferenceAfterTheWarmUp() throws Exception {
        assertEquals(3, single.staticRuns.size());
        RunResult a = single.staticRuns.get(0);
        assertEquals(Mode.NAIVE, a.mode);
        assertEquals(40, a.frames);
        assertEquals(40, a.inferredFrames);
        for (RunResult r : single.staticRuns.subList(1, 3)) {
            assertEquals(40, r.frames);
            assertEquals(single.motionWarmup, r.warmupFrames);
            assertTrue(r.name() + ": nothing moves after the warm-up, " + r.staticFrames + " static frames",
                    r.staticFrames >= 40 - single.motionWarmup - 2);
            assertTrue(r.name() + " costs less CPU than the naive loop", r.cpuNanos < a.cpuNanos);
        }
        assertTrue(Files.readString(out.resolve("report.md")).contains("Static scene"));
        assertEquals(List.of(), compared.staticRuns);
    }

    @Test
    public void qualityIsScoredOnTheTeacherFrames() {
        // frames 20, 27, ..., 55: after the 20 warm-up frames, every 7th
        assertEquals(List.of(20, 27, 34, 41, 48, 55), List.copyOf(single.teacher.keySet()));
        int truths = single.teacher.values().stream().mapToInt(List::size).sum();
        assertTrue("the teacher finds the people in the plaza", truths >= 20);
        for (RunResult r : single.runs) {
            for (Report q : List.of(r.quality, r.qualityCarried)) {
                assertEquals(6, q.images());
                assertEquals(truths, q.truths());
                assertInUnit(r.name(), q.recall());
                assertInUnit(r.name(), q.precision());
                assertInUnit(r.name(), q.ap());
                assertTrue(q.recall() > 0);
            }
            int bucketTruths = 0;
            for (SizeReport s : r.bySize) {
                bucketTruths += s.truths();
            }
            assertEquals(truths, bucketTruths);
        }
        // (b) runs the same full-frame inference as (a) on the frames it does not skip
        RunResult a = single.run(Mode.NAIVE, "");
        RunResult b = single.run(Mode.GATED, "");
        for (Integer n : single.teacher.keySet()) {
            if (!b.skippedEmpty.get(n).isEmpty()) {
                assertEquals("frame " + n, a.skippedEmpty.get(n), b.skippedEmpty.get(n));
            }
        }
        // crops see people at a higher resolution than the squeezed full frame: small objects are found
        RunResult c = single.run(Mode.REGIONS, "");
        assertTrue(c.quality.recallSmall() > a.quality.recallSmall());
    }

    @Test
    public void aSecondModelIsComparedSideBySideWithCachedTeacherLabels() throws Exception {
        assertEquals("teacher labels come from the cache the first run wrote", 3, compared.teacherFromCache);
        assertEquals(List.of(20, 27, 34), List.copyOf(compared.teacher.keySet()));
        for (Integer n : compared.teacher.keySet()) {
            assertEquals(single.teacher.get(n), compared.teacher.get(n));
        }
        assertEquals(6, compared.runs.size());
        String base = Evaluation.modelName(compared.options.modelFile());
        for (Mode m : Mode.values()) {
            RunResult x = compared.run(m, base);
            RunResult y = compared.run(m, "retrained-copy");
            assertNotNull(m + " base", x);
            assertNotNull(m + " copy", y);
            assertEquals(x.skippedEmpty, y.skippedEmpty);
            assertEquals(x.quality.ap(), y.quality.ap(), 0);
        }
        String md = Files.readString(outCompared.resolve("report.md"));
        assertTrue(md.contains("[retrained-copy]") && md.contains("[" + base + "]"));
    }

    private static void assertInUnit(String what, double v) {
        assertTrue(what + ": " + v, v >= 0 && v <= 1);
    }

    private static BufferedImage assertImage(Path p) throws Exception {
        assertTrue(p + " exists", Files.isRegularFile(p));
        BufferedImage img = ImageIO.read(p.toFile());
        assertNotNull(p + " is a PNG", img);
        assertTrue(img.getWidth() > 100 && img.getHeight() > 100);
        return img;
    }

    private static void deleteTree(Path p) throws Exception {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path f : s.sorted((x, y) -> y.getNameCount() - x.getNameCount()).toList()) {
                Files.delete(f);
            }
        }
    }
}

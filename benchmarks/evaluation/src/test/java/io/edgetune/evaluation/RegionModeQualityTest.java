package io.edgetune.evaluation;

import static org.junit.Assert.assertTrue;

import io.edgetune.metrics.ClassReport;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.Test;

/**
 * Region mode judged by what it is for: people found. The real motion stage
 * (MOG2, the shipped defaults) proposes the crops on the first 300 frames of
 * the sample video; people count as found when a detection of the class
 * overlaps a teacher box with IoU 0.5 at the operating threshold, on the
 * teacher's frames (every 15th). The naive loop runs the full frame on every
 * frame.
 */
public class RegionModeQualityTest {

    @Test
    public void regionModeFindsAtLeastAsManyPeopleAsTheFullFrame() throws Exception {
        Path cache = Paths.get("target", "teacher-cache-regions").toAbsolutePath();
        EvaluationOptions o = Evaluate.parse(new String[] {"--frames", "300", "--teacher-every", "15", "--static-frames", "0",
            "--out", Paths.get("target", "region-quality").toAbsolutePath().toString(), "--cache", cache.toString()})
                .withProgress(System.err, false);
        Evaluation.Result r = new Evaluation(o).run();
        RunResult naive = run(r, Mode.NAIVE);
        RunResult regions = run(r, Mode.REGIONS);
        ClassReport naivePeople = person(naive);
        ClassReport regionPeople = person(regions);
        long naiveFound = Math.round(naivePeople.recall() * naivePeople.truths());
        long regionFound = Math.round(regionPeople.recall() * regionPeople.truths());
        System.out.printf("people on %d teacher frames: %d; found (IoU 0.5) full frame %d (precision %.2f), regions %d (precision %.2f); "
                + "small objects recall full frame %.3f, regions %.3f%n", naive.quality.images(), naivePeople.truths(), naiveFound,
                naivePeople.precision(), regionFound, regionPeople.precision(), naive.quality.recallSmall(), regions.quality.recallSmall());
        assertTrue("the teacher saw people", naivePeople.truths() > 20);
        assertTrue("region mode found " + regionFound + " people, the full frame " + naiveFound, regionFound >= naiveFound);
        assertTrue("region mode finds small objects the full frame misses: " + regions.quality.recallSmall() + " vs "
                + naive.quality.recallSmall(), regions.quality.recallSmall() >= naive.quality.recallSmall());
    }

    private static RunResult run(Evaluation.Result r, Mode m) {
        return r.runs.stream().filter(x -> x.mode == m).findFirst().orElseThrow(() -> new AssertionError("no run " + m));
    }

    private static ClassReport person(RunResult run) {
        return run.quality.perClass().stream().filter(c -> "Person".equals(c.label())).findFirst()
                .orElseThrow(() -> new AssertionError("no Person truths in " + run.quality.perClass()));
    }
}

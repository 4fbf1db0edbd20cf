package io.edgetune.evaluation;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.edgetune.annotator.teacher.Teacher;
import io.edgetune.annotator.teacher.TeacherSettings;
import io.edgetune.api.detect.Detection;
import io.edgetune.api.detect.Detections;
import io.edgetune.api.frame.Frame;
import io.edgetune.api.frame.FramePool;
import io.edgetune.inference.TestAssets;
import io.edgetune.inference.engine.DetectorSettings;
import io.edgetune.inference.engine.LoadedModel;
import io.edgetune.metrics.DetectionEvaluation;
import io.edgetune.metrics.Report;
import io.edgetune.metrics.SizeReport;
import io.edgetune.testsupport.Assets;
import io.edgetune.testsupport.VideoFrames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The real model on the full frame of vtest.avi against the annotator's teacher (full frame + native
 * resolution tiles, fused) as reference, on a few frames: io.edgetune.metrics on real data. Here rather than in
 * bundles/common/metrics because the trainer depends on the metrics bundle and the annotator on the trainer.
 */
public class RealFramesMetricsTest {

    private static final int[] FRAMES = {40, 120, 200, 280};
    private static LoadedModel model;
    private static final List<List<Detection>> TEACHER = new ArrayList<>();
    private static final List<List<Detection>> EDGE = new ArrayList<>();
    private static List<String> labels;

    @BeforeClass
    public static void labelFrames() throws Exception {
        labels = Assets.labels();
        model = TestAssets.loadModel("edge-v1");
        DetectorSettings edge = DetectorSettings.defaults().withMode(Detections.Mode.FULL_FRAME).withScoreThreshold(0.05f);
        Teacher teacher = new Teacher(TestAssets.detectorService(model, DetectorSettings.defaults().withScoreThreshold(0.3f)),
                TeacherSettings.defaults());
        FramePool pool = new FramePool(1, VideoFrames.WIDTH, VideoFrames.HEIGHT);
        Map<Integer, byte[]> bgr = VideoFrames.bgr(FRAMES);
        for (int n : FRAMES) {
            Frame frame = VideoFrames.frame(pool, bgr.get(n), "vtest", n, n * 100L);
            TEACHER.add(teacher.label(frame).finalLabels());
            EDGE.add(model.detect(frame, List.of(), edge).detections());
            frame.release();
        }
    }

    @AfterClass
    public static void close() {
        if (model != null) {
            model.close();
        }
    }

    @Test
    public void fullFrameAgainstTheTeacher() {
        DetectionEvaluation e = new DetectionEvaluation(0.5);
        for (int i = 0; i < FRAMES.length; i++) {
            e.add(TEACHER.get(i), EDGE.get(i));
        }
        Report r = e.report(0.5, labels::get);
        Report low = e.report(0.1, labels::get);
        System.out.printf("full frame vs teacher on %d frames: %d truths (%d small), AP@0.5 %.3f, recall %.3f, "
                        + "precision %.3f at 0.5; recall %.3f at 0.1; AP small %.3f, recall small %.3f%n",
                r.images(), r.truths(), r.smallTruths(), r.ap(), r.recall(), r.precision(), low.recall(), r.apSmall(), r.recallSmall());
        assertEquals(FRAMES.length, r.images());
        assertTrue("the teacher labels people in the plaza", r.truths() >= 10);
        assertTrue(r.recall() > 0 && r.recall() < 1);
        assertTrue(r.precision() > 0 && r.precision() <= 1);
        assertTrue(r.ap() > 0 && r.ap() <= 1);
        assertTrue("a lower threshold keeps more", low.recall() >= r.recall() && low.predictions() >= r.predictions());
        // the teacher's tiles exist to find the small people the full frame misses
        assertTrue(r.smallTruths() > 0);
        assertTrue(r.recallSmall() < r.recall());
        int bucketTruths = 0;
        for (SizeReport s : e.bySize(0.5)) {
            bucketTruths += s.truths();
        }
        assertEquals(r.truths(), bucketTruths);
    }

    @Test
    public void thePredictionsAgainstThemselvesArePerfect() {
        DetectionEvaluation e = new DetectionEvaluation(0.5);
        for (List<Detection> edge : EDGE) {
            List<Detection> kept = edge.stream().filter(d -> d.score() >= 0.5f).toList();
            e.add(kept, kept);
        }
        Report r = e.report(0.5, null);
        assertTrue(r.truths() > 0);
        assertEquals(1.0, r.ap(), 1e-9);
        assertEquals(1.0, r.recall(), 1e-9);
        assertEquals(1.0, r.precision(), 1e-9);
    }
}

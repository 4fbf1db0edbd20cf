package io.edgetune.trainer;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.edgetune.metrics.ClassReport;
import io.edgetune.metrics.DetectionEvaluation;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Retraining on the teacher's labels of vtest.avi: the first 56 sampled frames
 * train, the last 20 validate (4 frames gap between).
 */
public class HeadTrainerTest {

    private static TrainingResult result;
    private static final List<TrainingProgress> EVENTS = new ArrayList<>();
    private static List<String> labels;

    @BeforeClass
    public static void trainOnce() throws Exception {
        labels = TeacherData.labels();
        long t0 = System.nanoTime();
        List<LabelledImage> train = TeacherData.train();
        List<LabelledImage> validation = TeacherData.validation();
        System.out.printf("decoded and stored %d frames as JPEG in %d ms; train %d images (%d boxes), validation %d images (%d boxes)%n",
                TeacherData.all().size(), (System.nanoTime() - t0) / 1_000_000, train.size(), TeacherData.truths(train),
                validation.size(), TeacherData.truths(validation));
        result = new HeadTrainer(TrainerSettings.defaults()).train(TeacherData.model(), labels, train, validation,
                EVENTS::add, () -> false);
        print("base     ", result.base());
        print("retrained", result.retrained());
        System.out.printf("trained in %d ms: %d epochs, %d images, %d positive anchors, thresholds %s, improves %s%n",
                result.trainMillis(), result.epochs(), result.trainImages(), result.positives(), result.thresholds(), result.improves());
        for (String phase : List.of(TrainingProgress.FEATURES, TrainingProgress.TRAINING, TrainingProgress.EVALUATING)) {
            long first = -1;
            for (TrainingProgress p : EVENTS) {
                if (p.phase().equals(phase) && first < 0) {
                    first = p.etaMillis();
                }
            }
            System.out.printf("first ETA in phase %s: %d ms%n", phase, first);
        }
    }

    private static void print(String name, Evaluation e) {
        System.out.printf("%s on validation: AP@0.5 %.3f %s, recall %.3f, precision %.3f (threshold %.2f, %d images, %d truths)%n",
                name, e.ap50(), e.ap50PerClass(), e.recall(), e.precision(), e.threshold(), e.images(), e.truths());
    }

    private static List<Double> losses() {
        List<Double> l = new ArrayList<>();
        for (TrainingProgress p : EVENTS) {
            if (p.phase().equals(TrainingProgress.TRAINING)) {
                l.add(p.loss());
            }
        }
        return l;
    }

    @Test
    public void trainingLowersTheLossAndReportsEveryEpoch() {
        List<Double> losses = losses();
        System.out.println("loss per epoch (0 = base weights): " + losses);
        assertEquals("one loss before training and one per epoch", TrainerSettings.defaults().epochs() + 1, losses.size());
        for (double l : losses) {
            assertTrue("loss not finite: " + losses, Double.isFinite(l) && l > 0);
        }
        assertTrue("training did not lower the loss: " + losses, losses.get(losses.size() - 1) < 0.8 * losses.get(0));
        // phases in order, ending with done
        List<String> order = new ArrayList<>();
        for (TrainingProgress p : EVENTS) {
            if (order.isEmpty() || !order.get(order.size() - 1).equals(p.phase())) {
                order.add(p.phase());
            }
        }
        assertEquals(List.of("features", "training", "evaluating", "done"), order);
        // an ETA as soon as the first image is done, shrinking to 0 at the end
        TrainingProgress first = EVENTS.get(0);
        assertEquals(TrainingProgress.FEATURES, first.phase());
        assertTrue("no ETA after the first image: " + first, first.etaMillis() > 0);
        TrainingProgress last = EVENTS.get(EVENTS.size() - 1);
        assertEquals(0, last.etaMillis());
    }

    @Test
    public void onlyPersonTrainsAndOnlyItsHeadRowsChange() throws Exception {
        // Person and Car have enough positive anchors on this video; Footwear boxes are too small for any anchor
        System.out.println("thresholds: " + result.thresholds());
        assertTrue(result.thresholds().containsKey("Person"));
        for (double t : result.thresholds().values()) {
            assertTrue("threshold out of range: " + t, t >= 0.05 && t <= 0.95);
        }
        byte[] base = Files.readAllBytes(TeacherData.model());
        assertEquals(base.length, result.model().length);
        TfliteFile file = TfliteFile.parse(base);
        List<ClassHead> before = ClassHead.find(file, base, labels.size());
        List<ClassHead> after = ClassHead.find(TfliteFile.parse(result.model()), result.model(), labels.size());
        int changedRows = 0;
        for (int h = 0; h < before.size(); h++) {
            ClassHead b = before.get(h);
            for (int r = 0; r < b.anchorsPerCell * b.classes; r++) {
                String label = labels.get(r % b.classes);
                float[] wb = java.util.Arrays.copyOfRange(b.weights, r * b.channels, (r + 1) * b.channels);
                float[] wa = java.util.Arrays.copyOfRange(after.get(h).weights, r * b.channels, (r + 1) * b.channels);
                if (!result.thresholds().containsKey(label)) {
                    assertArrayEquals("untrained class " + label + " changed in head " + h, wb, wa, 0f);
                    assertEquals(b.bias[r], after.get(h).bias[r], 0f);
                } else if (!java.util.Arrays.equals(wb, wa)) {
                    changedRows++;
                }
            }
        }
        assertTrue("no trained row changed", changedRows > 0);
        // outside the head buffers the file is byte for byte the base
        for (int i = 0; i < base.length; i++) {
            if (base[i] != result.model()[i]) {
                boolean inside = false;
                for (ClassHead h : before) {
                    inside |= (i >= h.weightSpan.offset() && i < h.weightSpan.offset() + h.weightSpan.length())
                            || (i >= h.biasSpan.offset() && i < h.biasSpan.offset() + h.biasSpan.length());
                }
                assertTrue("byte " + i + " outside the head buffers changed", inside);
            }
        }
    }

    /** AP@0.5 and F1 at an operating threshold of one class on a split, with the gateway's pass over the model bytes. */
    private static double[] apAndF1(byte[] model, List<LabelledImage> images, int classId, float threshold) throws Exception {
        TfliteFile file = TfliteFile.parse(model);
        TrainerSettings s = TrainerSettings.defaults();
        DetectionEvaluation scored = new DetectionEvaluation(ModelJudge.IOU);
        try (DetectorPass pass = new DetectorPass(model, file, List.of(), s.anchors(), 2)) {
            for (LabelledImage li : images) {
                assertTrue(pass.runOn(li.jpeg(), "test"));
                scored.add(li.truth(), pass.detections(pass.width(), pass.height(), s.scoreFloor(), null, s.maxDetections(),
                        s.nmsIou(), labels));
            }
        }
        for (ClassReport c : scored.report(threshold, labels::get).perClass()) {
            if (c.classId() == classId) {
                return new double[] {c.ap(), 2 * c.recall() * c.precision() / (c.recall() + c.precision())};
            }
        }
        throw new AssertionError("no " + labels.get(classId) + " in the split");
    }

    @Test
    public void retrainedModelFitsThePersonsOfTheTrainingImagesBetter() throws Exception {
        int person = labels.indexOf("Person");
        float threshold = result.thresholds().get("Person").floatValue();
        double[] before = apAndF1(Files.readAllBytes(TeacherData.model()), TeacherData.train(), person, 0.5f);
        double[] after = apAndF1(result.model(), TeacherData.train(), person, threshold);
        System.out.printf("Person on the training images: AP@0.5 base %.3f, retrained %.3f; F1 base at 0.50 %.3f, retrained at %.2f %.3f%n",
                before[0], after[0], before[1], threshold, after[1]);
        // the base model already ranks the teacher's persons well (the teacher is the same network on tiles), so
        // the gain is in the scores: many more persons above the operating threshold
        assertTrue("retraining did not raise Person F1 on its own training images: " + before[1] + " -> " + after[1],
                after[1] > before[1] + 0.05);
        assertTrue("retraining lost Person AP on its own training images: " + before[0] + " -> " + after[0],
                after[0] > before[0] - 0.02);
    }

    @Test
    public void theRoundSaysHowMuchCameFromThresholdsAndHowMuchFromTheWeights() {
        ModelJudge.Verdict v = result.verdict();
        System.out.printf("validation F1: base at 0.4 %.3f, base at tuned thresholds %.3f (%+.3f from thresholds alone), retrained "
                        + "%.3f (%+.3f from the new weights); AP@0.5 %.3f -> %.3f; publishable %s%n", ModelJudge.f1(v.baseAtGateway()),
                ModelJudge.f1(v.baseTuned()), v.thresholdGain(), ModelJudge.f1(v.candidate()), v.weightsGain(), v.baseTuned().ap50(),
                v.candidate().ap50(), v.publishable());
        assertEquals(ModelJudge.f1(v.candidate()) - ModelJudge.f1(v.baseAtGateway()), v.thresholdGain() + v.weightsGain(), 1e-12);
        assertEquals("both models' thresholds are chosen for the same classes", v.baseThresholds().keySet(),
                v.candidateThresholds().keySet());
        assertEquals(v.publishable(), result.improves());
        // on this video the new weights are what makes the model better, not the thresholds
        assertTrue("the retrained model must be publishable on vtest.avi: " + v, v.publishable());
        assertTrue(v.weightsGain() > 0 && v.apGain() >= 0);
    }

    @Test
    public void validationFiguresAreSaneAndCountEveryTruth() throws Exception {
        int truths = TeacherData.truths(TeacherData.validation());
        for (Evaluation e : List.of(result.base(), result.baseTuned(), result.retrained())) {
            assertEquals(TeacherData.validation().size(), e.images());
            assertEquals("every validation truth counted", truths, e.truths());
            for (double v : List.of(e.ap50(), e.recall(), e.precision())) {
                assertTrue("figure out of [0,1]: " + e, Double.isFinite(v) && v >= 0 && v <= 1);
            }
            for (Map.Entry<String, Double> c : e.ap50PerClass().entrySet()) {
                assertTrue(c.toString(), c.getValue() >= 0 && c.getValue() <= 1);
            }
            assertTrue("the teacher's Person labels are evaluated", e.ap50PerClass().containsKey("Person"));
        }
        assertEquals(0.4f, (float) result.base().threshold(), 0f);
        assertTrue(result.trainMillis() > 0);
        assertEquals(TeacherData.TRAIN, result.trainImages());
    }
}

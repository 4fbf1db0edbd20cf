package io.edgetune.metrics;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.edgetune.api.detect.Detection;
import java.util.List;
import org.junit.Test;

/** Small crafted cases whose numbers are worked out by hand in the comments. */
public class DetectionEvaluationTest {

    private static final double EPS = 1e-9;

    private static Detection truth(int cls, float x, float y, float w, float h) {
        return new Detection(cls, "c" + cls, 1f, x, y, w, h);
    }

    private static Detection pred(int cls, float score, float x, float y, float w, float h) {
        return new Detection(cls, "c" + cls, score, x, y, w, h);
    }

    @Test
    public void onePerfectMatchIsApOne() {
        DetectionEvaluation e = new DetectionEvaluation(0.5);
        e.add(List.of(truth(1, 10, 10, 50, 50)), List.of(pred(1, 0.9f, 12, 10, 50, 50)));
        Report r = e.report(0.5, null);
        assertEquals(1.0, r.ap(), EPS);
        assertEquals(1.0, r.recall(), EPS);
        assertEquals(1.0, r.precision(), EPS);
        assertEquals(1, r.images());
        assertEquals(1, r.truths());
        assertEquals(1, r.predictions());
    }

    @Test
    public void interpolatedApOfAMissInTheMiddle() {
        // two truths; ranked TP(0.9), FP(0.8), TP(0.7):
        // points (r=0.5, p=1), (0.5, 0.5), (1, 2/3); envelope 1, 1, 2/3 -> AP = 0.5*1 + 0.5*2/3 = 5/6
        DetectionEvaluation e = new DetectionEvaluation(0.5);
        e.add(List.of(truth(1, 0, 0, 40, 40), truth(1, 200, 200, 40, 40)),
                List.of(pred(1, 0.9f, 0, 0, 40, 40), pred(1, 0.8f, 400, 400, 40, 40), pred(1, 0.7f, 200, 200, 40, 40)));
        Report r = e.report(0.5, null);
        assertEquals(5.0 / 6.0, r.ap(), EPS);
        assertEquals(1.0, r.recall(), EPS);
        assertEquals(2.0 / 3.0, r.precision(), EPS);
    }

    @Test
    public void equalScoresAreOneStepWhateverTheirOrder() {
        // one truth, a TP and an FP both at 0.9: a single point (r=1, p=0.5) -> AP 0.5 in either order
        Detection hit = pred(1, 0.9f, 0, 0, 40, 40);
        Detection miss = pred(1, 0.9f, 300, 300, 40, 40);
        for (List<Detection> preds : List.of(List.of(hit, miss), List.of(miss, hit))) {
            DetectionEvaluation e = new DetectionEvaluation(0.5);
            e.add(List.of(truth(1, 0, 0, 40, 40)), preds);
            assertEquals(0.5, e.report(0.5, null).ap(), EPS);
        }
    }

    @Test
    public void aDuplicateOfAMatchedTruthIsAFalsePositive() {
        // both predictions overlap the one truth; the higher score takes it, the other is FP.
        // points (1, 1), (1, 0.5) -> AP 1; precision at 0.5 is 1/2
        DetectionEvaluation e = new DetectionEvaluation(0.5);
        e.add(List.of(truth(1, 0, 0, 40, 40)), List.of(pred(1, 0.8f, 2, 0, 40, 40), pred(1, 0.9f, 0, 1, 40, 40)));
        Report r = e.report(0.5, null);
        assertEquals(1.0, r.ap(), EPS);
        assertEquals(1.0, r.recall(), EPS);
        assertEquals(0.5, r.precision(), EPS);
        assertEquals(2, r.predictions());
    }

    @Test
    public void greedyMatchingGivesTheBestTruthToTheHighestScore() {
        // truths A=[0,0,100x100] and B=[20,0,100x100]; P1 (0.9) at [18,0]: IoU(A)=82/118, IoU(B)=98/102, takes B.
        // P2 (0.8) at [22,0] overlaps B best but B is taken, so it takes A (IoU 78/122 >= 0.5): two TPs.
        DetectionEvaluation e = new DetectionEvaluation(0.5);
        e.add(List.of(truth(1, 0, 0, 100, 100), truth(1, 20, 0, 100, 100)),
                List.of(pred(1, 0.9f, 18, 0, 100, 100), pred(1, 0.8f, 22, 0, 100, 100)));
        Report r = e.report(0.5, null);
        assertEquals(1.0, r.recall(), EPS);
        assertEquals(1.0, r.ap(), EPS);
        // at IoU 0.7 P2 no longer reaches A (78/122 = 0.64): one TP, one FP -> points (0.5,1), (0.5,0.5) -> AP 0.5
        DetectionEvaluation strict = new DetectionEvaluation(0.7);
        strict.add(List.of(truth(1, 0, 0, 100, 100), truth(1, 20, 0, 100, 100)),
                List.of(pred(1, 0.9f, 18, 0, 100, 100), pred(1, 0.8f, 22, 0, 100, 100)));
        assertEquals(0.5, strict.report(0.5, null).ap(), EPS);
        assertEquals(0.5, strict.report(0.5, null).recall(), EPS);
    }

    @Test
    public void iouExactlyAtTheThresholdMatches() {
        // truth 10x10, prediction its upper half: IoU = 50/100 = 0.5
        Detection t = truth(1, 0, 0, 10, 10);
        Detection p = pred(1, 0.9f, 0, 0, 10, 5);
        DetectionEvaluation at = new DetectionEvaluation(0.5);
        at.add(List.of(t), List.of(p));
        assertEquals(1.0, at.report(0.5, null).recall(), EPS);
        DetectionEvaluation above = new DetectionEvaluation(0.51);
        above.add(List.of(t), List.of(p));
        assertEquals(0.0, above.report(0.5, null).recall(), EPS);
        assertEquals(0.0, above.report(0.5, null).ap(), EPS);
    }

    @Test
    public void theOperatingThresholdMovesRecallAndPrecisionNotAp() {
        // two truths; TP(0.9), FP(0.6), TP(0.3)
        DetectionEvaluation e = new DetectionEvaluation(0.5);
        e.add(List.of(truth(1, 0, 0, 40, 40), truth(1, 100, 100, 40, 40)),
                List.of(pred(1, 0.9f, 0, 0, 40, 40), pred(1, 0.6f, 300, 300, 40, 40), pred(1, 0.3f, 100, 100, 40, 40)));
        Report high = e.report(0.5, null);
        assertEquals(0.5, high.recall(), EPS);
        assertEquals(0.5, high.precision(), EPS);
        assertEquals(2, high.predictions());
        Report low = e.report(0.2, null);
        assertEquals(1.0, low.recall(), EPS);
        assertEquals(2.0 / 3.0, low.precision(), EPS);
        assertEquals(3, low.predictions());
        Report none = e.report(0.95, null);
        assertEquals(0.0, none.recall(), EPS);
        assertTrue(Double.isNaN(none.precision()));
        assertEquals(5.0 / 6.0, high.ap(), EPS);
        assertEquals(high.ap(), low.ap(), EPS);
    }

    @Test
    public void noPredictionsIsZeroApAndRecall() {
        DetectionEvaluation e = new DetectionEvaluation(0.5);
        e.add(List.of(truth(1, 0, 0, 40, 40)), List.of());
        Report r = e.report(0.5, null);
        assertEquals(0.0, r.ap(), EPS);
        assertEquals(0.0, r.recall(), EPS);
        assertTrue(Double.isNaN(r.precision()));
        assertEquals(0, r.predictions());
    }

    @Test
    public void noTruthsLeavesApAndRecallUndefinedAndPrecisionZero() {
        DetectionEvaluation e = new DetectionEvaluation(0.5);
        e.add(List.of(), List.of(pred(2, 0.9f, 0, 0, 40, 40)));
        Report r = e.report(0.5, null);
        assertTrue(Double.isNaN(r.ap()));
        assertTrue(Double.isNaN(r.recall()));
        assertEquals(0.0, r.precision(), EPS);
        assertEquals(1, r.perClass().size());
        assertEquals(0, r.perClass().get(0).truths());
        assertTrue(Double.isNaN(r.perClass().get(0).ap()));
    }

    @Test
    public void emptyImagesCountButChangeNothing() {
        DetectionEvaluation e = new DetectionEvaluation(0.5);
        e.add(List.of(), List.of());
        e.add(List.of(truth(1, 0, 0, 40, 40)), List.of(pred(1, 0.9f, 0, 0, 40, 40)));
        e.add(List.of(), List.of());
        Report r = e.report(0.5, null);
        assertEquals(3, r.images());
        assertEquals(1.0, r.ap(), EPS);
        assertEquals(1.0, r.recall(), EPS);
    }

    @Test
    public void apRanksPredictionsAcrossImages() {
        // image 1: an FP at 0.9 (no truth); image 2: a TP at 0.8 -> points (0, 0), (1, 0.5) -> AP 0.5
        DetectionEvaluation e = new DetectionEvaluation(0.5);
        e.add(List.of(), List.of(pred(1, 0.9f, 0, 0, 40, 40)));
        e.add(List.of(truth(1, 0, 0, 40, 40)), List.of(pred(1, 0.8f, 0, 0, 40, 40)));
        assertEquals(0.5, e.report(0.5, null).ap(), EPS);
        // the same boxes in one image are matched there: the 0.9 one takes the truth -> AP 1
        DetectionEvaluation one = new DetectionEvaluation(0.5);
        one.add(List.of(truth(1, 0, 0, 40, 40)), List.of(pred(1, 0.9f, 0, 0, 40, 40), pred(1, 0.8f, 0, 0, 40, 40)));
        assertEquals(1.0, one.report(0.5, null).ap(), EPS);
    }

    @Test
    public void classesAreMatchedSeparatelyAndApIsTheirMean() {
        // class 2's truth is covered only by a class-1 box: class 2 has AP 0, and that box is an FP of class 1
        // after its TP (points (1, 1), (1, 0.5) -> AP 1). Mean over classes 1 and 2 = 0.5.
        // class 3 has only a prediction: counted in precision, not in the mean.
        DetectionEvaluation e = new DetectionEvaluation(0.5);
        e.add(List.of(truth(1, 0, 0, 40, 40), truth(2, 100, 100, 40, 40)),
                List.of(pred(1, 0.9f, 0, 0, 40, 40), pred(1, 0.7f, 100, 100, 40, 40), pred(3, 0.8f, 300, 300, 40, 40)));
        Report r = e.report(0.5, id -> "name" + id);
        assertEquals(0.5, r.ap(), EPS);
        assertEquals(0.5, r.recall(), EPS);
        assertEquals(1.0 / 3.0, r.precision(), EPS);
        assertEquals(3, r.perClass().size());
        ClassReport c1 = r.perClass().get(0);
        assertEquals(1, c1.classId());
        assertEquals("name1", c1.label());
        assertEquals(1.0, c1.ap(), EPS);
        assertEquals(0.5, c1.precision(), EPS);
        ClassReport c2 = r.perClass().get(1);
        assertEquals(0.0, c2.ap(), EPS);
        assertEquals(0.0, c2.recall(), EPS);
        assertTrue(Double.isNaN(c2.precision()));
    }

    @Test
    public void labelsFallBackToTheDetectionsOwn() {
        DetectionEvaluation e = new DetectionEvaluation(0.5);
        e.add(List.of(truth(4, 0, 0, 40, 40)), List.of());
        assertEquals("c4", e.report(0.5, null).perClass().get(0).label());
        assertEquals("c4", e.report(0.5, id -> null).perClass().get(0).label());
    }

    @Test
    public void smallObjectsFollowCoco() {
        // small truth 20x20 (400 px²) found at 0.8; large truth 100x100 missed; unmatched small FP 10x10 at 0.95;
        // unmatched large FP 120x120 at 0.99 (not in the small bucket).
        // small bucket ranking: FP(0.95), TP(0.8) -> points (0, 0), (1, 0.5) -> AP_small 0.5
        DetectionEvaluation e = new DetectionEvaluation(0.5);
        e.add(List.of(truth(1, 0, 0, 20, 20), truth(1, 300, 300, 100, 100)),
                List.of(pred(1, 0.8f, 1, 1, 20, 20), pred(1, 0.95f, 200, 0, 10, 10), pred(1, 0.99f, 500, 0, 120, 120)));
        Report r = e.report(0.5, null);
        assertEquals(1, r.smallTruths());
        assertEquals(0.5, r.apSmall(), EPS);
        assertEquals(1.0, r.recallSmall(), EPS);
        List<SizeReport> sizes = e.bySize(0.5);
        assertEquals(3, sizes.size());
        assertEquals("small", sizes.get(0).name());
        assertEquals(2, sizes.get(0).predictions());
        assertEquals(0.5, sizes.get(0).precision(), EPS);
        assertEquals(0, sizes.get(1).truths());
        assertTrue(Double.isNaN(sizes.get(1).recall()));
        assertTrue(Double.isNaN(sizes.get(1).ap()));
        SizeReport large = sizes.get(2);
        assertEquals(1, large.truths());
        assertEquals(0.0, large.recall(), EPS);
        assertEquals(0.0, large.ap(), EPS);
        assertEquals(1, large.predictions());
    }

    @Test
    public void aMatchedPredictionCountsInItsTruthsBucket() {
        // truth 30x30 (small, 900 px²), prediction 34x34 (medium by its own area, IoU 900/1156 = 0.78): a small TP
        DetectionEvaluation e = new DetectionEvaluation(0.5);
        e.add(List.of(truth(1, 0, 0, 30, 30)), List.of(pred(1, 0.9f, 0, 0, 34, 34)));
        List<SizeReport> sizes = e.bySize(0.5);
        assertEquals(1, sizes.get(0).predictions());
        assertEquals(1.0, sizes.get(0).ap(), EPS);
        assertEquals(0, sizes.get(1).predictions());
        assertEquals(1.0, e.report(0.5, null).apSmall(), EPS);
    }

    @Test
    public void badInputIsRejectedWithAClearMessage() {
        assertThrows(IllegalArgumentException.class, () -> new DetectionEvaluation(0));
        assertThrows(IllegalArgumentException.class, () -> new DetectionEvaluation(1.5));
        DetectionEvaluation e = new DetectionEvaluation(0.5);
        assertThrows(IllegalArgumentException.class, () -> e.add(null, List.of()));
        assertThrows(IllegalArgumentException.class, () -> e.add(List.of(), List.of(pred(1, Float.NaN, 0, 0, 1, 1))));
        assertEquals(0, e.images());
    }

    @Test
    public void eachClassCountsAtItsOwnThreshold() {
        // class 1: TP 0.9, FP 0.6; class 2: TP 0.3. At 0.5 for all: kept TP(0.9), FP(0.6): recall 1/2, precision 1/2;
        // at 0.7 for class 1 and 0.2 for class 2: kept TP(0.9) and TP(0.3): recall 2/2, precision 2/2
        DetectionEvaluation e = new DetectionEvaluation(0.5);
        e.add(List.of(truth(1, 0, 0, 40, 40), truth(2, 100, 100, 40, 40)),
                List.of(pred(1, 0.9f, 0, 0, 40, 40), pred(1, 0.6f, 200, 200, 40, 40), pred(2, 0.3f, 100, 100, 40, 40)));
        Report same = e.report(0.5, null);
        assertEquals(0.5, same.recall(), EPS);
        assertEquals(0.5, same.precision(), EPS);
        Report own = e.report(0.5, c -> c == 1 ? 0.7 : 0.2, null);
        assertEquals(1.0, own.recall(), EPS);
        assertEquals(1.0, own.precision(), EPS);
        assertEquals(2, own.predictions());
        assertEquals("AP does not depend on thresholds", same.ap(), own.ap(), EPS);
        assertEquals(0.5, own.operatingThreshold(), EPS);
    }

    @Test
    public void bestF1ThresholdLiesBetweenTheLastKeptAndTheNextScore() {
        // one class, 3 truths; ranked TP 0.9, TP 0.8, FP 0.7, FP 0.6, TP 0.2:
        // F1 after each: 2/4, 4/5, 4/6, 4/7, 6/8 -> best 0.8 keeping the first two: threshold (0.8 + 0.7) / 2
        DetectionEvaluation e = new DetectionEvaluation(0.5);
        e.add(List.of(truth(1, 0, 0, 40, 40), truth(1, 100, 0, 40, 40), truth(1, 200, 0, 40, 40)),
                List.of(pred(1, 0.9f, 0, 0, 40, 40), pred(1, 0.8f, 100, 0, 40, 40), pred(1, 0.7f, 300, 300, 40, 40),
                        pred(1, 0.6f, 400, 300, 40, 40), pred(1, 0.2f, 200, 0, 40, 40)));
        assertEquals((0.8f + 0.7f) / 2f, (float) e.bestF1Threshold(1, 0.05), 0f);
        // the best point is the last prediction: the floor is what comes next
        DetectionEvaluation last = new DetectionEvaluation(0.5);
        last.add(List.of(truth(1, 0, 0, 40, 40)), List.of(pred(1, 0.08f, 0, 0, 40, 40)));
        assertEquals((0.08f + 0.05f) / 2f, (float) last.bestF1Threshold(1, 0.05), 0f);
        // no truths or no predictions of the class: no threshold
        assertTrue(Double.isNaN(e.bestF1Threshold(2, 0.05)));
        DetectionEvaluation none = new DetectionEvaluation(0.5);
        none.add(List.of(truth(1, 0, 0, 40, 40)), List.of());
        assertTrue(Double.isNaN(none.bestF1Threshold(1, 0.05)));
    }

    @Test
    public void bestF1ThresholdKeepsOrDropsEqualScoresTogether() {
        // TP 0.9, then FP and TP both at 0.5 (one step), 2 truths: F1 2/3 after the first, 4/5 after the tie
        DetectionEvaluation e = new DetectionEvaluation(0.5);
        e.add(List.of(truth(1, 0, 0, 40, 40), truth(1, 100, 0, 40, 40)),
                List.of(pred(1, 0.9f, 0, 0, 40, 40), pred(1, 0.5f, 300, 300, 40, 40), pred(1, 0.5f, 100, 0, 40, 40)));
        assertEquals((0.5f + 0.05f) / 2f, (float) e.bestF1Threshold(1, 0.05), 0f);
    }
}

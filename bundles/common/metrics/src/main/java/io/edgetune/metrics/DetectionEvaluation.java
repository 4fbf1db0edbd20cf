package io.edgetune.metrics;

import io.edgetune.api.detect.Detection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;
import java.util.function.IntToDoubleFunction;

/**
 * Accumulates detection results image by image and reports their quality against reference boxes.
 *
 * <p>Matching (per image, per class): predictions are taken by descending score (input order among equal
 * scores); each takes the still unmatched truth of its class with the highest IoU, if that IoU reaches the
 * threshold. A truth is matched at most once, so duplicates of one object count as false positives.
 * Matching does not depend on the operating threshold: the predictions above it are matched first, so the
 * matches among them are exactly the ones a thresholded evaluation would find.
 *
 * <p>AP is the all-point interpolated area under the precision/recall curve (precision made monotone from
 * the right), computed per class over all images; predictions with equal scores form one step of the curve,
 * so the result does not depend on their order. The overall AP is the mean over classes that have truths.
 *
 * <p>Object sizes follow COCO: small &lt; 32², medium 32²–96², large &ge; 96² px of box area. A truth counts in
 * the bucket of its own area, a matched prediction in the bucket of its truth, an unmatched prediction in the
 * bucket of its own area.
 *
 * <p>The methods are synchronized, so a reporter thread may read while a worker adds; the result depends only
 * on which images were added, not on their order.
 */
public final class DetectionEvaluation {

    /** Upper area bounds (exclusive) of the small and medium buckets, COCO's 32² and 96² px. */
    public static final double SMALL_AREA = 32.0 * 32.0;
    public static final double MEDIUM_AREA = 96.0 * 96.0;
    private static final String[] BUCKET_NAMES = {"small", "medium", "large"};
    private static final double[] BUCKET_MIN = {0, SMALL_AREA, MEDIUM_AREA};
    private static final double[] BUCKET_MAX = {SMALL_AREA, MEDIUM_AREA, Double.POSITIVE_INFINITY};

    private final double iouThreshold;
    private final Map<Integer, ClassData> classes = new TreeMap<>();
    private int images;

    /** @param iouThreshold the IoU a prediction needs with a truth to match it, in (0, 1]; 0.5 is the usual one */
    public DetectionEvaluation(double iouThreshold) {
        if (!(iouThreshold > 0 && iouThreshold <= 1)) {
            throw new IllegalArgumentException("IoU threshold must be in (0, 1], got " + iouThreshold);
        }
        this.iouThreshold = iouThreshold;
    }

    public double iouThreshold() {
        return iouThreshold;
    }

    /**
     * Adds one image.
     *
     * @param truth     reference boxes (e.g. teacher labels); may be empty
     * @param predicted predictions at any score (do not pre-filter: AP uses the whole score range); may be empty
     */
    public synchronized void add(List<Detection> truth, List<Detection> predicted) {
        if (truth == null || predicted == null) {
            throw new IllegalArgumentException("truth and predicted lists are required (use an empty list for none)");
        }
        for (Detection p : predicted) {
            if (p == null || Float.isNaN(p.score())) {
                throw new IllegalArgumentException("prediction without a score: " + p);
            }
        }
        for (Detection t : truth) {
            if (t == null) {
                throw new IllegalArgumentException("null truth box");
            }
        }
        Map<Integer, List<Detection>> truthByClass = byClass(truth);
        Map<Integer, List<Detection>> predByClass = byClass(predicted);
        for (Map.Entry<Integer, List<Detection>> e : truthByClass.entrySet()) {
            ClassData data = data(e.getKey(), e.getValue().get(0).label());
            for (Detection t : e.getValue()) {
                data.truths++;
                data.truthsBySize[bucket(t.area())]++;
            }
        }
        for (Map.Entry<Integer, List<Detection>> e : predByClass.entrySet()) {
            List<Detection> preds = new ArrayList<>(e.getValue());
            preds.sort(Comparator.comparingDouble((Detection d) -> d.score()).reversed());
            List<Detection> truths = truthByClass.getOrDefault(e.getKey(), List.of());
            boolean[] taken = new boolean[truths.size()];
            ClassData data = data(e.getKey(), preds.get(0).label());
            for (Detection p : preds) {
                int best = -1;
                float bestIou = 0;
                for (int i = 0; i < truths.size(); i++) {
                    if (taken[i]) {
                        continue;
                    }
                    float iou = p.iou(truths.get(i));
                    if (iou >= iouThreshold && (best < 0 || iou > bestIou)) {
                        best = i;
                        bestIou = iou;
                    }
                }
                if (best >= 0) {
                    taken[best] = true;
                    data.predictions.add(new Scored(p.score(), true, bucket(truths.get(best).area())));
                } else {
                    data.predictions.add(new Scored(p.score(), false, bucket(p.area())));
                }
            }
        }
        images++;
    }

    /** Number of images added so far. */
    public synchronized int images() {
        return images;
    }

    /**
     * The quality of everything added so far.
     *
     * @param operatingThreshold score at or above which a prediction counts for recall and precision
     * @param labelOf            names for class ids; may be null or return null, then the label carried by the
     *                           detections is used
     */
    public synchronized Report report(double operatingThreshold, IntFunction<String> labelOf) {
        return report(operatingThreshold, classId -> operatingThreshold, labelOf);
    }

    /**
     * The quality of everything added so far, each class at its own operating threshold (AP does not depend on
     * thresholds; recall and precision count, per class, the predictions at or above that class's threshold).
     *
     * @param defaultThreshold the threshold reported in {@link Report#operatingThreshold()}
     * @param thresholdOf      the operating threshold of a class id
     * @param labelOf          names for class ids, as in {@link #report(double, IntFunction)}
     */
    public synchronized Report report(double defaultThreshold, IntToDoubleFunction thresholdOf, IntFunction<String> labelOf) {
        List<ClassReport> perClass = new ArrayList<>();
        Tally all = new Tally();
        for (Map.Entry<Integer, ClassData> e : classes.entrySet()) {
            ClassData d = e.getValue();
            Scored[] predictions = d.predictions.toArray(new Scored[0]);
            double ap = d.truths == 0 ? Double.NaN : averagePrecision(predictions, d.truths, -1);
            int[] keptMatched = keptAndMatched(predictions, -1, thresholdOf.applyAsDouble(e.getKey()));
            String label = labelOf == null ? null : labelOf.apply(e.getKey());
            perClass.add(new ClassReport(e.getKey(), label != null ? label : d.label, d.truths, ap,
                    ratio(keptMatched[1], d.truths), ratio(keptMatched[1], keptMatched[0])));
            all.add(d.truths, ap, keptMatched);
        }
        SizeReport small = sizeReport(0, thresholdOf);
        return new Report(all.meanAp(), ratio(all.matched, all.truths), ratio(all.matched, all.kept),
                defaultThreshold, images, all.truths, all.kept, perClass, small.ap(), small.recall(), small.truths());
    }

    /**
     * The operating threshold with the best F1 for one class over everything added so far: halfway between the
     * score of the last prediction kept and the next lower one (the floor when none is lower), never below the
     * floor. Predictions with equal scores are kept or dropped together; between equal F1s the higher threshold
     * wins. {@code NaN} when the class has no truths or no predictions.
     *
     * @param floor the lowest threshold returned (predictions were kept from this score on)
     */
    public synchronized double bestF1Threshold(int classId, double floor) {
        ClassData d = classes.get(classId);
        if (d == null || d.truths == 0 || d.predictions.isEmpty()) {
            return Double.NaN;
        }
        Scored[] sorted = d.predictions.stream()
                .sorted(Comparator.comparingDouble((Scored s) -> s.score).reversed())
                .toArray(Scored[]::new);
        int tp = 0;
        double bestF1 = -1;
        int bestIndex = -1;
        for (int i = 0; i < sorted.length; i++) {
            if (sorted[i].truePositive) {
                tp++;
            }
            boolean endOfTie = i + 1 == sorted.length || sorted[i + 1].score < sorted[i].score;
            double f1 = 2.0 * tp / (d.truths + i + 1);
            if (endOfTie && f1 > bestF1 + 1e-12) {
                bestF1 = f1;
                bestIndex = i;
            }
        }
        double kept = sorted[bestIndex].score;
        double next = bestIndex + 1 < sorted.length ? sorted[bestIndex + 1].score : floor;
        return Math.max(floor, (kept + next) / 2);
    }

    /** Quality per size bucket (small, medium, large), e.g. for a recall-by-size plot. */
    public synchronized List<SizeReport> bySize(double operatingThreshold) {
        List<SizeReport> out = new ArrayList<>(BUCKET_NAMES.length);
        for (int b = 0; b < BUCKET_NAMES.length; b++) {
            out.add(sizeReport(b, classId -> operatingThreshold));
        }
        return out;
    }

    private SizeReport sizeReport(int bucket, IntToDoubleFunction thresholdOf) {
        Tally all = new Tally();
        for (Map.Entry<Integer, ClassData> e : classes.entrySet()) {
            ClassData d = e.getValue();
            int classTruths = d.truthsBySize[bucket];
            Scored[] predictions = d.predictions.toArray(new Scored[0]);
            double ap = classTruths == 0 ? Double.NaN : averagePrecision(predictions, classTruths, bucket);
            all.add(classTruths, ap, keptAndMatched(predictions, bucket, thresholdOf.applyAsDouble(e.getKey())));
        }
        return new SizeReport(BUCKET_NAMES[bucket], BUCKET_MIN[bucket], BUCKET_MAX[bucket], all.truths, all.kept,
                all.meanAp(), ratio(all.matched, all.truths), ratio(all.matched, all.kept));
    }

    /** Predictions at or above the threshold (of one size bucket when bucket &ge; 0): {kept, true positives}. */
    private static int[] keptAndMatched(Scored[] predictions, int bucket, double threshold) {
        int kept = 0;
        int matched = 0;
        for (Scored s : predictions) {
            if ((bucket < 0 || s.bucket == bucket) && s.score >= threshold) {
                kept++;
                if (s.truePositive) {
                    matched++;
                }
            }
        }
        return new int[] {kept, matched};
    }

    /** Sums over classes: the mean AP counts only classes with truths. */
    private static final class Tally {
        private double apSum;
        private int apClasses;
        private int truths;
        private int matched;
        private int kept;

        void add(int classTruths, double ap, int[] keptMatched) {
            if (classTruths > 0) {
                apSum += ap;
                apClasses++;
            }
            truths += classTruths;
            kept += keptMatched[0];
            matched += keptMatched[1];
        }

        double meanAp() {
            return apClasses == 0 ? Double.NaN : apSum / apClasses;
        }
    }

    /**
     * All-point interpolated AP of one class; predictions of other buckets are left out when bucket &ge; 0.
     * Equal scores are one step of the curve.
     */
    static double averagePrecision(Scored[] predictions, int truths, int bucket) {
        Scored[] sorted = Arrays.stream(predictions)
                .filter(s -> bucket < 0 || s.bucket == bucket)
                .sorted(Comparator.comparingDouble((Scored s) -> s.score).reversed())
                .toArray(Scored[]::new);
        double[] recall = new double[sorted.length];
        double[] precision = new double[sorted.length];
        int points = 0;
        int tp = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (sorted[i].truePositive) {
                tp++;
            }
            boolean endOfTie = i + 1 == sorted.length || sorted[i + 1].score != sorted[i].score;
            if (endOfTie) {
                recall[points] = (double) tp / truths;
                precision[points] = (double) tp / (i + 1);
                points++;
            }
        }
        // precision envelope: the best precision reachable at this recall or beyond
        for (int i = points - 2; i >= 0; i--) {
            precision[i] = Math.max(precision[i], precision[i + 1]);
        }
        double ap = 0;
        double previousRecall = 0;
        for (int i = 0; i < points; i++) {
            ap += (recall[i] - previousRecall) * precision[i];
            previousRecall = recall[i];
        }
        return ap;
    }

    static int bucket(double area) {
        return area < SMALL_AREA ? 0 : area < MEDIUM_AREA ? 1 : 2;
    }

    private static double ratio(int num, int den) {
        return den == 0 ? Double.NaN : (double) num / den;
    }

    private ClassData data(int classId, String label) {
        return classes.computeIfAbsent(classId, id -> new ClassData(label));
    }

    private static Map<Integer, List<Detection>> byClass(List<Detection> boxes) {
        Map<Integer, List<Detection>> out = new TreeMap<>();
        for (Detection d : boxes) {
            out.computeIfAbsent(d.classId(), id -> new ArrayList<>()).add(d);
        }
        return out;
    }

    /** One prediction after matching: its score, whether it found a truth, and its size bucket. */
    record Scored(double score, boolean truePositive, int bucket) {
    }

    private static final class ClassData {
        final String label;
        final int[] truthsBySize = new int[BUCKET_NAMES.length];
        final List<Scored> predictions = new ArrayList<>();
        int truths;

        ClassData(String label) {
            this.label = label;
        }
    }
}

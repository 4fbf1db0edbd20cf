package io.edgetune.trainer;

import io.edgetune.metrics.ClassReport;
import io.edgetune.metrics.DetectionEvaluation;
import io.edgetune.metrics.Report;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compares a candidate model with a base model the same way for both, so that
 * a gain from choosing thresholds is not credited to new weights.
 *
 * <p>The procedure, run on each model alike: one full-frame pass over the
 * training frames, per tuned class the score threshold with the best F1 there
 * ({@link #tune}); then one pass over the validation (held-out) frames scored
 * at those thresholds. The base model is also scored at the gateway's own
 * operating threshold ({@link TrainerSettings#scoreThreshold()}), which is what
 * the gateway reports today. A candidate is {@linkplain Verdict#publishable()
 * publishable} when its AP@0.5 on the validation frames is not lower than the
 * base's (no tolerance) and its F1 at its tuned thresholds is higher than the
 * base's F1 at the base's tuned thresholds. The gain over what the gateway
 * reports today splits into {@linkplain Verdict#thresholdGain() thresholds
 * alone} and {@linkplain Verdict#weightsGain() new weights}.
 *
 * <p>One comparison at a time per instance; each call opens and closes its
 * own interpreters.
 */
public final class ModelJudge {

    private static final Logger LOG = LoggerFactory.getLogger(ModelJudge.class);
    /** IoU a detection needs with a teacher box to match it. */
    static final double IOU = 0.5;

    /**
     * The outcome of one comparison on the validation frames.
     *
     * @param baseAtGateway       the base model at the gateway's operating threshold
     * @param baseTuned           the base model at thresholds chosen by the procedure on the training frames
     * @param candidate           the candidate at thresholds chosen by the same procedure
     * @param baseThresholds      the base model's chosen thresholds, by label
     * @param candidateThresholds the candidate's chosen thresholds, by label (what its manifest carries)
     */
    public record Verdict(Evaluation baseAtGateway, Evaluation baseTuned, Evaluation candidate,
                          Map<String, Double> baseThresholds, Map<String, Double> candidateThresholds) {

        public Verdict {
            baseThresholds = Map.copyOf(baseThresholds);
            candidateThresholds = Map.copyOf(candidateThresholds);
        }

        /** F1 gained by thresholds alone: base weights at tuned thresholds vs base at the gateway's threshold. */
        public double thresholdGain() {
            return f1(baseTuned) - f1(baseAtGateway);
        }

        /** F1 gained by the new weights: candidate vs base, both at thresholds tuned the same way. */
        public double weightsGain() {
            return f1(candidate) - f1(baseTuned);
        }

        /** AP@0.5 gained by the new weights (thresholds do not change AP). */
        public double apGain() {
            return candidate.ap50() - baseTuned.ap50();
        }

        /** AP@0.5 not lower than the base's and F1 higher, both models' thresholds chosen the same way. */
        public boolean publishable() {
            return candidate.ap50() >= baseTuned.ap50() && f1(candidate) > f1(baseTuned);
        }
    }

    private final TrainerSettings settings;

    public ModelJudge(TrainerSettings settings) {
        this.settings = settings;
    }

    /** F1 of recall and precision at the operating thresholds (0 when both are 0). */
    public static double f1(Evaluation e) {
        double s = e.recall() + e.precision();
        return s > 0 ? 2 * e.recall() * e.precision() / s : 0;
    }

    /**
     * Compares a candidate model with a base model (both TFLite flatbuffers).
     *
     * @param tuned classes (labels) that get their own threshold; the others keep the gateway's
     */
    public Verdict judge(byte[] base, byte[] candidate, List<String> labels, List<LabelledImage> train,
                         List<LabelledImage> validation, Collection<String> tuned) throws TrainingException {
        return judge(base, candidate, labels, train, validation, tuned, (phase, done, total) -> { }, () -> false);
    }

    /** Progress per image evaluated. */
    interface ImageProgress {
        void image(String phase, int done, int total);
    }

    Verdict judge(byte[] base, byte[] candidate, List<String> labels, List<LabelledImage> train, List<LabelledImage> validation,
                  Collection<String> tuned, ImageProgress progress, BooleanSupplier stop) throws TrainingException {
        DetectionEvaluation baseTrain;
        DetectionEvaluation baseVal;
        try (DetectorPass pass = new DetectorPass(base, TfliteFile.parse(base), List.of(), settings.anchors(), settings.threads())) {
            baseTrain = scoredPass(pass, train, labels, progress, stop);
            baseVal = scoredPass(pass, validation, labels, progress, stop);
        }
        DetectionEvaluation candTrain;
        DetectionEvaluation candVal;
        try (DetectorPass pass = new DetectorPass(candidate, TfliteFile.parse(candidate), List.of(), settings.anchors(),
                settings.threads())) {
            candTrain = scoredPass(pass, train, labels, progress, stop);
            candVal = scoredPass(pass, validation, labels, progress, stop);
        }
        Map<String, Double> baseThresholds = new LinkedHashMap<>();
        Map<String, Double> candThresholds = new LinkedHashMap<>();
        float[] bt = tune(baseTrain, labels, tuned, baseThresholds);
        float[] ct = tune(candTrain, labels, tuned, candThresholds);
        float gateway = settings.scoreThreshold();
        Verdict v = new Verdict(evaluate(baseVal, labels, gateway, null), evaluate(baseVal, labels, gateway, bt),
                evaluate(candVal, labels, gateway, ct), baseThresholds, candThresholds);
        LOG.info("on {} validation frames: base at {} F1 {}, base at its tuned thresholds F1 {} (thresholds {}), candidate F1 {} "
                        + "(thresholds {}); AP@0.5 {} -> {}; publishable {}", validation.size(), gateway, f(f1(v.baseAtGateway())),
                f(f1(v.baseTuned())), baseThresholds, f(f1(v.candidate())), candThresholds, f(v.baseTuned().ap50()),
                f(v.candidate().ap50()), v.publishable());
        return v;
    }

    /**
     * One model's full-frame pass over images, scored against their labels at the given per-class thresholds (by
     * label; other classes at the gateway's threshold). For figures on a subset of the validation frames, e.g. the
     * ones people reviewed; AP does not depend on the thresholds.
     */
    public Evaluation score(byte[] model, List<String> labels, List<LabelledImage> images, Map<String, Double> thresholds)
            throws TrainingException {
        DetectionEvaluation scored;
        try (DetectorPass pass = new DetectorPass(model, TfliteFile.parse(model), List.of(), settings.anchors(), settings.threads())) {
            scored = scoredPass(pass, images, labels, (phase, done, total) -> { }, () -> false);
        }
        float[] t = new float[labels.size()];
        Arrays.fill(t, Float.NaN);
        thresholds.forEach((label, v) -> {
            int c = labels.indexOf(label);
            if (c > 0 && v != null) {
                t[c] = v.floatValue();
            }
        });
        return evaluate(scored, labels, settings.scoreThreshold(), t);
    }

    /**
     * The threshold procedure: per tuned class, the score with the best F1 on the training frames (capped at
     * 0.95); classes without truths or detections there keep the gateway's threshold.
     */
    float[] tune(DetectionEvaluation onTrain, List<String> labels, Collection<String> tuned, Map<String, Double> chosen) {
        float[] t = new float[labels.size()];
        Arrays.fill(t, Float.NaN);
        for (int c = 1; c < labels.size(); c++) {
            if (!tuned.contains(labels.get(c))) {
                continue;
            }
            float best = (float) onTrain.bestF1Threshold(c, settings.scoreFloor());
            if (!Float.isNaN(best)) {
                t[c] = Math.min(0.95f, best);
                chosen.put(labels.get(c), (double) t[c]);
            }
        }
        return t;
    }

    /**
     * One model's pass over a split scored against the teacher (io.edgetune.metrics: AP@0.5 all-point interpolated
     * over detections from the score floor; recall and precision at the operating thresholds; 0 where a ratio has
     * nothing to count).
     *
     * @param classThresholds per class id the operating threshold (NaN or null: the gateway's)
     */
    static Evaluation evaluate(DetectionEvaluation scored, List<String> labels, float gateway, float[] classThresholds) {
        Report r = scored.report(gateway, c -> classThresholds != null && c < classThresholds.length
                && !Float.isNaN(classThresholds[c]) ? classThresholds[c] : gateway, labels::get);
        Map<String, Double> perClass = new TreeMap<>();
        for (ClassReport c : r.perClass()) {
            if (c.truths() > 0) {
                perClass.put(c.label(), c.ap());
            }
        }
        return new Evaluation(zeroIfNaN(r.ap()), perClass, zeroIfNaN(r.recall()), zeroIfNaN(r.precision()), gateway, r.images(),
                r.truths());
    }

    private static double zeroIfNaN(double v) {
        return Double.isNaN(v) ? 0 : v;
    }

    /** The full-frame pass over images at the score floor, matched against the teacher's labels. */
    private DetectionEvaluation scoredPass(DetectorPass pass, List<LabelledImage> images, List<String> labels,
                                           ImageProgress progress, BooleanSupplier stop) throws TrainingException {
        DetectionEvaluation out = new DetectionEvaluation(IOU);
        for (int i = 0; i < images.size(); i++) {
            if (stop.getAsBoolean()) {
                throw TrainingException.cancelledDuring(TrainingProgress.EVALUATING);
            }
            LabelledImage li = images.get(i);
            if (!pass.runOn(li.jpeg(), "evaluation")) {
                continue;
            }
            out.add(li.truth(), pass.detections(pass.width(), pass.height(), settings.scoreFloor(), null, settings.maxDetections(),
                    settings.nmsIou(), labels));
            progress.image(TrainingProgress.EVALUATING, i + 1, images.size());
        }
        return out;
    }

    private static String f(double v) {
        return String.format(java.util.Locale.ROOT, "%.3f", v);
    }
}

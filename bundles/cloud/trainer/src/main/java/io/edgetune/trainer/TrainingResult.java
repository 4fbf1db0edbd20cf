package io.edgetune.trainer;

import java.util.Map;

/**
 * The retrained model and how it compares with the base on the validation split.
 *
 * @param model       the retrained TFLite flatbuffer (same size and graph as the base, new class-head weights)
 * @param verdict     base and retrained judged the same way ({@link ModelJudge})
 * @param trainMillis wall time of the whole run
 * @param epochs      epochs run
 * @param trainImages training images used
 * @param positives   positive anchors of the trained classes
 */
public record TrainingResult(byte[] model, ModelJudge.Verdict verdict, long trainMillis, int epochs, int trainImages,
                             int positives) {

    /**
     * Per-class score thresholds of the retrained model, chosen on the training split, keyed by label; put them
     * in the model manifest as metrics "threshold.{label}".
     */
    public Map<String, Double> thresholds() {
        return verdict.candidateThresholds();
    }

    /** The base model on the validation images at the gateway's operating threshold. */
    public Evaluation base() {
        return verdict.baseAtGateway();
    }

    /** The base model on the validation images at thresholds chosen as the retrained model's are. */
    public Evaluation baseTuned() {
        return verdict.baseTuned();
    }

    /** The retrained model (with its thresholds) on the validation images. */
    public Evaluation retrained() {
        return verdict.candidate();
    }

    /** Whether the retrained model may replace the base ({@link ModelJudge.Verdict#publishable()}). */
    public boolean improves() {
        return verdict.publishable();
    }
}

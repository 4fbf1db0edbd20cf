package io.edgetune.trainer;

import java.util.Map;

/**
 * The retrained model and how it compares with the base on the validation split.
 *
 * @param model       the retrained TFLite flatbuffer (same size and graph as the base, new class-head weights)
 * @param thresholds  per-class score thresholds chosen on the training split, keyed by label; put them in the
 *                    model manifest as metrics "threshold.{label}"
 * @param base        the base model on the validation images
 * @param retrained   the retrained model (with its thresholds) on the validation images
 * @param trainMillis wall time of the whole run
 * @param epochs      epochs run
 * @param trainImages training images used
 * @param positives   positive anchors of the trained classes
 */
public record TrainingResult(byte[] model, Map<String, Double> thresholds, Evaluation base, Evaluation retrained,
                             long trainMillis, int epochs, int trainImages, int positives) {

    public TrainingResult {
        thresholds = Map.copyOf(thresholds);
    }

    /** Whether the retrained model beats the base on validation AP@0.5 (mean over the classes with truths). */
    public boolean improves() {
        return retrained.ap50() > base.ap50();
    }
}

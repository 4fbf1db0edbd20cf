package io.edgetune.api.annotate;

import java.util.Map;

/**
 * The running or last retraining round of the annotator.
 *
 * @param state     IDLE, WAITING (for enough new labelled frames; the message says how many), EXTRACTING, TRAINING, EVALUATING, DELIVERING, DONE, REJECTED (not better than the
 *                  gateway's model), FAILED
 * @param etaMillis estimated time left in the current phase, -1 when unknown
 * @param metrics   the round's figures (e.g. base.ap50, retrained.ap50, train.ms), empty before evaluation
 * @param message   what happened, for people
 */
public record TrainingStatus(String state, String gateway, String camera, int epoch, int epochs, double loss,
                             long etaMillis, long startedMillis, long updatedMillis, Map<String, Double> metrics,
                             String modelVersion, String message) {

    public static TrainingStatus idle() {
        return new TrainingStatus("IDLE", null, null, 0, 0, Double.NaN, -1, 0, 0, Map.of(), null, "no retraining round yet");
    }
}

package io.edgetune.trainer;

/**
 * Where a training run stands.
 *
 * @param phase     "features" (one pass per training image), "training" (epochs over cached features),
 *                  "evaluating" (base and retrained passes) or "done"
 * @param epoch     epochs finished (training), else 0
 * @param epochs    epochs planned
 * @param loss      mean loss of the last finished epoch over the mined samples, NaN before the first
 * @param etaMillis estimated time left in the whole run, -1 when unknown
 * @param done      images (features, evaluating) or epochs (training) done in this phase
 * @param total     images or epochs of this phase
 */
public record TrainingProgress(String phase, int epoch, int epochs, double loss, long etaMillis, int done, int total) {

    public static final String FEATURES = "features";
    public static final String TRAINING = "training";
    public static final String EVALUATING = "evaluating";
    public static final String DONE = "done";
}

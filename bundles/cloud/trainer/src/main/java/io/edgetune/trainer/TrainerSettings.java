package io.edgetune.trainer;

/**
 * How the class heads are retrained (see docs/annotator.md, "Retraining").
 *
 * @param epochs               passes over the cached features
 * @param learningRate         Adam step size
 * @param batchSize            samples (anchor, class) per Adam step
 * @param l2                   pull toward the base weights: l2/2 * |w - w_base|^2 added to the mean loss
 * @param positiveIou          an anchor with at least this IoU to a teacher box is a positive of its class
 * @param negativeIou          an anchor below this IoU to every teacher box is background; between is ignored
 * @param forcedMinIou         each teacher box's best anchor is forced positive if their IoU is at least this
 *                             (boxes no anchor resembles are left out: the frozen box head could not fit them)
 * @param minPositives         a class is trained only with at least this many positive anchors; others keep
 *                             their weights bit for bit
 * @param negativeRatio        hard negatives mined per positive each epoch (highest loss first)
 * @param negativeCellsPerImage feature-map cells without positives cached per image: those the base model
 *                             scores highest for a labelled class (candidate hard negatives)
 * @param randomCellsPerImage  further background cells per image picked at random (seeded)
 * @param maxCacheMegabytes    bound on the cached feature vectors; images beyond it are not used for training
 * @param seed                 seeds every random choice: same inputs and seed, same model
 * @param threads              interpreter threads
 * @param anchors              anchor scheme (as in the model manifest)
 * @param scoreThreshold       the gateway's score threshold for classes without their own: the operating point
 *                             the base model is judged at as the gateway runs it
 * @param nmsIou               the gateway's NMS IoU
 * @param maxDetections        the gateway's detections per frame
 * @param scoreFloor           lowest score kept when ranking detections for AP and choosing thresholds
 * @param matchPredictedBoxes  match teacher boxes against the boxes the frozen box head predicts per anchor
 *                             (default) rather than against the anchors themselves
 */
public record TrainerSettings(int epochs, double learningRate, int batchSize, double l2, double positiveIou,
                              double negativeIou, double forcedMinIou, int minPositives, int negativeRatio,
                              int negativeCellsPerImage, int randomCellsPerImage, int maxCacheMegabytes, long seed,
                              int threads, String anchors, float scoreThreshold, float nmsIou, int maxDetections,
                              float scoreFloor, boolean matchPredictedBoxes) {

    public TrainerSettings {
        if (epochs < 1 || batchSize < 1 || learningRate <= 0 || l2 < 0 || minPositives < 1 || negativeRatio < 1) {
            throw new IllegalArgumentException("epochs, batch size, learning rate, min positives and negative ratio must be positive, l2 >= 0");
        }
        if (!(negativeIou > 0 && negativeIou <= positiveIou && positiveIou <= 1) || forcedMinIou < 0 || forcedMinIou > 1) {
            throw new IllegalArgumentException("need 0 < negativeIou <= positiveIou <= 1 and forcedMinIou in [0,1]: "
                    + negativeIou + ", " + positiveIou + ", " + forcedMinIou);
        }
        if (scoreThreshold <= 0 || scoreThreshold >= 1 || scoreFloor <= 0 || scoreFloor > scoreThreshold) {
            throw new IllegalArgumentException("need 0 < scoreFloor <= scoreThreshold < 1: " + scoreFloor + ", " + scoreThreshold);
        }
    }

    /** Six epochs of Adam at 1e-3, 3:1 hard negatives, the gateway's defaults (0.4 score, 0.5 NMS IoU, 50 boxes). */
    public static TrainerSettings defaults() {
        return new TrainerSettings(6, 1e-3, 32, 1e-2, 0.5, 0.4, 0.4, 20, 3, 48, 16, 512, 42L, 2,
                "ssd-mobilenet-v2:300", 0.4f, 0.5f, 50, 0.05f, true);
    }

    public TrainerSettings withEpochs(int n) {
        return copy(c -> c.epochs = n);
    }

    /** The same settings judged at another gateway operating threshold (the gateway's {@code score.threshold}). */
    public TrainerSettings withScoreThreshold(float t) {
        return copy(c -> c.scoreThreshold = t);
    }

    public TrainerSettings withSeed(long s) {
        return copy(c -> c.seed = s);
    }

    public TrainerSettings withMatchPredictedBoxes(boolean predicted) {
        return copy(c -> c.matchPredictedBoxes = predicted);
    }

    public TrainerSettings withLearningRate(double lr) {
        return copy(c -> c.learningRate = lr);
    }

    private TrainerSettings copy(java.util.function.Consumer<Copy> change) {
        Copy c = new Copy(this);
        change.accept(c);
        return c.build();
    }

    /** A mutable copy, so that each {@code with...} names only what it changes. */
    private static final class Copy {
        int epochs;
        double learningRate;
        long seed;
        float scoreThreshold;
        boolean matchPredictedBoxes;
        private final TrainerSettings s;

        Copy(TrainerSettings s) {
            this.s = s;
            epochs = s.epochs;
            learningRate = s.learningRate;
            seed = s.seed;
            scoreThreshold = s.scoreThreshold;
            matchPredictedBoxes = s.matchPredictedBoxes;
        }

        TrainerSettings build() {
            return new TrainerSettings(epochs, learningRate, s.batchSize, s.l2, s.positiveIou, s.negativeIou, s.forcedMinIou,
                    s.minPositives, s.negativeRatio, s.negativeCellsPerImage, s.randomCellsPerImage, s.maxCacheMegabytes, seed,
                    s.threads, s.anchors, scoreThreshold, s.nmsIou, s.maxDetections, s.scoreFloor, matchPredictedBoxes);
        }
    }
}

package io.edgetune.trainer;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BooleanSupplier;

/**
 * Adam on the class-head rows of the trainable classes over cached features.
 * For class c, every cached (cell, anchor slot) that is not ignored is a
 * sample with target 1 when it is a positive of c, else 0. Each epoch scores
 * all samples, keeps every positive and the negativeRatio x positives hardest
 * negatives (highest loss), and takes Adam steps over them in a seeded order.
 * Loss: mean sigmoid cross-entropy over the kept samples plus
 * l2/2 |w - w_base|^2 over the class's rows. Rows of other classes are never
 * touched. Plain float math, single thread, so a seed gives one result.
 */
final class HeadOptimizer {

    private final List<ClassHead> heads;
    private final FeatureCache cache;
    private final List<Integer> classes;
    private final TrainerSettings s;
    /** Working weights per head (start: the base model's), written back by the caller. */
    final float[][] weights;
    final float[][] bias;
    private final float[][] gradW;
    private final float[][] gradB;
    private final float[][] m1W;
    private final float[][] m2W;
    private final float[][] m1B;
    private final float[][] m2B;
    /** Loss after each epoch, index 0 before training. */
    final List<Double> losses = new ArrayList<>();
    double lastLoss = Double.NaN;

    /** One sample: head, cached cell, anchor slot, target. */
    private record Sample(int head, int cell, int slot, boolean positive) {
    }

    HeadOptimizer(List<ClassHead> heads, FeatureCache cache, List<Integer> classes, TrainerSettings s) {
        this.heads = heads;
        this.cache = cache;
        this.classes = classes;
        this.s = s;
        int n = heads.size();
        weights = new float[n][];
        bias = new float[n][];
        gradW = new float[n][];
        gradB = new float[n][];
        m1W = new float[n][];
        m2W = new float[n][];
        m1B = new float[n][];
        m2B = new float[n][];
        for (int h = 0; h < n; h++) {
            ClassHead head = heads.get(h);
            weights[h] = head.weights.clone();
            bias[h] = head.bias.clone();
            gradW[h] = new float[head.weights.length];
            gradB[h] = new float[head.bias.length];
            m1W[h] = new float[head.weights.length];
            m2W[h] = new float[head.weights.length];
            m1B[h] = new float[head.bias.length];
            m2B[h] = new float[head.bias.length];
        }
    }

    void run(HeadTrainer.Progress progress, BooleanSupplier stop) throws TrainingException {
        List<List<Sample>> samples = new ArrayList<>();
        for (int c : classes) {
            samples.add(samples(c));
        }
        Random random = new Random(s.seed());
        int[] steps = new int[classes.size()];
        double loss = 0;
        for (int k = 0; k < classes.size(); k++) {
            loss += mine(classes.get(k), samples.get(k)).loss;
        }
        lastLoss = loss / classes.size();
        losses.add(lastLoss);
        progress.epoch(0, lastLoss, 0);
        for (int epoch = 1; epoch <= s.epochs(); epoch++) {
            long t0 = System.nanoTime();
            for (int k = 0; k < classes.size(); k++) {
                int c = classes.get(k);
                Mined mined = mine(c, samples.get(k));
                List<Sample> batchOrder = mined.kept;
                java.util.Collections.shuffle(batchOrder, random);
                for (int from = 0; from < batchOrder.size(); from += s.batchSize()) {
                    if (stop.getAsBoolean()) {
                        throw TrainingException.cancelledDuring(TrainingProgress.TRAINING);
                    }
                    int to = Math.min(batchOrder.size(), from + s.batchSize());
                    step(c, batchOrder.subList(from, to), ++steps[k]);
                }
            }
            // the loss after this epoch, with negatives re-mined against the new weights
            loss = 0;
            for (int k = 0; k < classes.size(); k++) {
                loss += mine(classes.get(k), samples.get(k)).loss;
            }
            lastLoss = loss / classes.size();
            losses.add(lastLoss);
            progress.epoch(epoch, lastLoss, System.nanoTime() - t0);
        }
        roundToStorage();
    }

    private List<Sample> samples(int c) {
        List<Sample> out = new ArrayList<>();
        for (int h = 0; h < heads.size(); h++) {
            List<int[]> labels = cache.labels.get(h);
            for (int i = 0; i < labels.size(); i++) {
                int[] slots = labels.get(i);
                for (int k = 0; k < slots.length; k++) {
                    if (slots[k] != FeatureCache.IGNORE) {
                        out.add(new Sample(h, i, k, slots[k] == c));
                    }
                }
            }
        }
        return out;
    }

    private record Mined(List<Sample> kept, double loss) {
    }

    /** All positives plus the hardest negatives under the current weights, and their mean loss (with the L2 term). */
    private Mined mine(int c, List<Sample> all) {
        List<Sample> kept = new ArrayList<>();
        List<Sample> negatives = new ArrayList<>();
        List<Float> negativeLoss = new ArrayList<>();
        double sum = 0;
        for (Sample x : all) {
            float z = logit(c, x);
            float l = bce(z, x.positive());
            if (x.positive()) {
                kept.add(x);
                sum += l;
            } else {
                negatives.add(x);
                negativeLoss.add(l);
            }
        }
        Integer[] order = new Integer[negatives.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        // stable: equal losses keep cache order
        java.util.Arrays.sort(order, (a, b) -> Float.compare(negativeLoss.get(b), negativeLoss.get(a)));
        int take = Math.min(order.length, Math.max(s.negativeRatio() * kept.size(), s.batchSize()));
        for (int i = 0; i < take; i++) {
            kept.add(negatives.get(order[i]));
            sum += negativeLoss.get(order[i]);
        }
        double mean = kept.isEmpty() ? 0 : sum / kept.size();
        return new Mined(kept, mean + s.l2() / 2 * pull(c));
    }

    private float logit(int c, Sample x) {
        ClassHead head = heads.get(x.head());
        int row = x.slot() * head.classes + c;
        return ClassHead.logit(weights[x.head()], bias[x.head()], head.channels, row, cache.features.get(x.head()).get(x.cell()), 0);
    }

    /** Numerically stable sigmoid cross-entropy of a logit against a 0/1 target. */
    static float bce(float z, boolean positive) {
        float t = positive ? 1f : 0f;
        return (float) (Math.max(z, 0) - z * t + Math.log1p(Math.exp(-Math.abs(z))));
    }

    private double pull(int c) {
        double sum = 0;
        for (int h = 0; h < heads.size(); h++) {
            ClassHead head = heads.get(h);
            for (int k = 0; k < head.anchorsPerCell; k++) {
                int row = k * head.classes + c;
                for (int i = row * head.channels, e = i + head.channels; i < e; i++) {
                    double d = weights[h][i] - head.weights[i];
                    sum += d * d;
                }
                double d = bias[h][row] - head.bias[row];
                sum += d * d;
            }
        }
        return sum;
    }

    private void step(int c, List<Sample> batch, int t) {
        float scale = 1f / batch.size();
        for (Sample x : batch) {
            ClassHead head = heads.get(x.head());
            int row = x.slot() * head.classes + c;
            float[] f = cache.features.get(x.head()).get(x.cell());
            float z = ClassHead.logit(weights[x.head()], bias[x.head()], head.channels, row, f, 0);
            float g = (float) (1.0 / (1.0 + Math.exp(-z))) - (x.positive() ? 1f : 0f);
            g *= scale;
            float[] gw = gradW[x.head()];
            for (int i = 0, base = row * head.channels; i < head.channels; i++) {
                gw[base + i] += g * f[i];
            }
            gradB[x.head()][row] += g;
        }
        double lr = s.learningRate() * Math.sqrt(1 - Math.pow(0.999, t)) / (1 - Math.pow(0.9, t));
        float l2 = (float) s.l2();
        for (int h = 0; h < heads.size(); h++) {
            ClassHead head = heads.get(h);
            for (int k = 0; k < head.anchorsPerCell; k++) {
                int row = k * head.classes + c;
                for (int i = row * head.channels, e = i + head.channels; i < e; i++) {
                    float g = gradW[h][i] + l2 * (weights[h][i] - head.weights[i]);
                    gradW[h][i] = 0;
                    weights[h][i] -= adam(m1W[h], m2W[h], i, g, lr);
                }
                float g = gradB[h][row] + l2 * (bias[h][row] - head.bias[row]);
                gradB[h][row] = 0;
                bias[h][row] -= adam(m1B[h], m2B[h], row, g, lr);
            }
        }
    }

    private static float adam(float[] m1, float[] m2, int i, float g, double lr) {
        m1[i] = 0.9f * m1[i] + 0.1f * g;
        m2[i] = 0.999f * m2[i] + 0.001f * g * g;
        return (float) (lr * m1[i] / (Math.sqrt(m2[i]) + 1e-8));
    }

    /** The weights as the model file will hold them, so evaluation and the stored model agree exactly. */
    private void roundToStorage() {
        for (int h = 0; h < heads.size(); h++) {
            ClassHead head = heads.get(h);
            for (int i = 0; i < weights[h].length; i++) {
                weights[h][i] = head.storedWeight(weights[h][i]);
            }
            for (int i = 0; i < bias[h].length; i++) {
                bias[h][i] = head.storedBias(bias[h][i]);
            }
        }
    }
}

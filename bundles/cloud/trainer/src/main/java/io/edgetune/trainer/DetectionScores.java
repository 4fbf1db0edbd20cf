package io.edgetune.trainer;

import io.edgetune.api.detect.Detection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * AP at IoU 0.5 and recall/precision at operating thresholds, against teacher
 * labels. Per class: detections of all images ranked by score, each matched
 * greedily to the unmatched truth of the same image and class with the highest
 * IoU (at least 0.5); AP is the area under the all-point interpolated
 * precision/recall curve (COCO/VOC2010 style). Kept inside the trainer: the
 * metrics bundle's tests depend on the annotator, which depends on the
 * trainer, so depending on io.edgetune.metrics here closes a reactor cycle.
 */
final class DetectionScores {

    static final float IOU = 0.5f;

    /** One image: what the model found (at the score floor) and what the teacher says. */
    record Scored(List<Detection> found, List<Detection> truth) {
    }

    /** A ranked detection: its score and whether it matched a truth. */
    record Hit(float score, boolean matched) {
    }

    private DetectionScores() {
    }

    /** Greedy matching of one class over all images, detections best first. */
    static List<Hit> hits(List<Scored> images, int classId) {
        record Candidate(int image, Detection d) {
        }
        List<Candidate> all = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            for (Detection d : images.get(i).found()) {
                if (d.classId() == classId) {
                    all.add(new Candidate(i, d));
                }
            }
        }
        // stable sort: ties keep image order, so the result is deterministic
        all.sort(Comparator.comparingDouble((Candidate c) -> -c.d().score()));
        List<boolean[]> used = new ArrayList<>();
        for (Scored s : images) {
            used.add(new boolean[s.truth().size()]);
        }
        List<Hit> out = new ArrayList<>(all.size());
        for (Candidate c : all) {
            List<Detection> truth = images.get(c.image()).truth();
            boolean[] u = used.get(c.image());
            int best = -1;
            float bestIou = IOU;
            for (int t = 0; t < truth.size(); t++) {
                if (u[t] || truth.get(t).classId() != classId) {
                    continue;
                }
                float iou = c.d().iou(truth.get(t));
                if (iou >= bestIou) {
                    bestIou = iou;
                    best = t;
                }
            }
            if (best >= 0) {
                u[best] = true;
            }
            out.add(new Hit(c.d().score(), best >= 0));
        }
        return out;
    }

    static int truths(List<Scored> images, int classId) {
        int n = 0;
        for (Scored s : images) {
            for (Detection t : s.truth()) {
                n += t.classId() == classId ? 1 : 0;
            }
        }
        return n;
    }

    /** All-point interpolated AP of ranked hits against a number of truths (0 when there are none). */
    static double averagePrecision(List<Hit> hits, int truths) {
        if (truths == 0) {
            return 0;
        }
        int n = hits.size();
        double[] precision = new double[n];
        double[] recall = new double[n];
        int tp = 0;
        for (int i = 0; i < n; i++) {
            tp += hits.get(i).matched() ? 1 : 0;
            precision[i] = tp / (double) (i + 1);
            recall[i] = tp / (double) truths;
        }
        // precision envelope: best precision at this recall or beyond
        for (int i = n - 2; i >= 0; i--) {
            precision[i] = Math.max(precision[i], precision[i + 1]);
        }
        double ap = 0;
        double previousRecall = 0;
        for (int i = 0; i < n; i++) {
            ap += (recall[i] - previousRecall) * precision[i];
            previousRecall = recall[i];
        }
        return ap;
    }

    /**
     * Scores a model's pass over a split.
     *
     * @param classThresholds per class id the operating threshold (NaN: defaultThreshold)
     */
    static Evaluation evaluate(List<Scored> images, List<String> labels, float defaultThreshold, float[] classThresholds) {
        Map<String, Double> perClass = new TreeMap<>();
        int truths = 0;
        int matched = 0;
        int reported = 0;
        double sum = 0;
        for (int c = 1; c < labels.size(); c++) {
            int n = truths(images, c);
            List<Hit> hits = hits(images, c);
            float threshold = threshold(c, defaultThreshold, classThresholds);
            for (Hit h : hits) {
                if (h.score() >= threshold) {
                    reported++;
                    matched += h.matched() ? 1 : 0;
                }
            }
            if (n > 0) {
                double ap = averagePrecision(hits, n);
                perClass.put(labels.get(c), ap);
                sum += ap;
                truths += n;
            }
        }
        double ap50 = perClass.isEmpty() ? 0 : sum / perClass.size();
        // at a fixed threshold the greedy ranking matches the same truths as the gateway's output at that threshold
        double recall = truths == 0 ? 0 : matched / (double) truths;
        double precision = reported == 0 ? 0 : matched / (double) reported;
        return new Evaluation(ap50, perClass, recall, precision, defaultThreshold, images.size(), truths);
    }

    static float threshold(int classId, float defaultThreshold, float[] classThresholds) {
        return classThresholds != null && classId < classThresholds.length && !Float.isNaN(classThresholds[classId])
                ? classThresholds[classId] : defaultThreshold;
    }

    /**
     * The score threshold with the best F1 for a class (ties: the higher threshold), halfway between the last
     * detection kept and the next one; NaN when the class has no truths or no hits.
     */
    static float bestF1Threshold(List<Hit> hits, int truths, float floor) {
        if (truths == 0 || hits.isEmpty()) {
            return Float.NaN;
        }
        int tp = 0;
        double bestF1 = -1;
        int bestIndex = -1;
        for (int i = 0; i < hits.size(); i++) {
            tp += hits.get(i).matched() ? 1 : 0;
            double f1 = 2.0 * tp / (truths + i + 1);
            if (f1 > bestF1 + 1e-12 && (i + 1 == hits.size() || hits.get(i + 1).score() < hits.get(i).score())) {
                bestF1 = f1;
                bestIndex = i;
            }
        }
        if (bestIndex < 0) {
            return Float.NaN;
        }
        float kept = hits.get(bestIndex).score();
        float next = bestIndex + 1 < hits.size() ? hits.get(bestIndex + 1).score() : floor;
        return Math.max(floor, (kept + next) / 2f);
    }

    static float[] nanArray(int n) {
        float[] a = new float[n];
        Arrays.fill(a, Float.NaN);
        return a;
    }
}

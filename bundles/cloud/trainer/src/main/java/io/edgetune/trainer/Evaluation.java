package io.edgetune.trainer;

import java.util.Map;

/**
 * One model's full-frame pass over a split, scored against the teacher labels.
 *
 * @param ap50          mean over the classes with truths of AP at IoU 0.5 (all-point interpolated)
 * @param ap50PerClass  AP at IoU 0.5 per label (classes with at least one truth)
 * @param recall        matched truths / truths, detections at the operating thresholds
 * @param precision     matched detections / detections at the operating thresholds (all classes)
 * @param threshold     score threshold of classes without their own (the gateway's default)
 * @param images        images evaluated
 * @param truths        truth boxes counted
 */
public record Evaluation(double ap50, Map<String, Double> ap50PerClass, double recall, double precision, double threshold,
                         int images, int truths) {

    public Evaluation {
        ap50PerClass = Map.copyOf(ap50PerClass);
    }
}

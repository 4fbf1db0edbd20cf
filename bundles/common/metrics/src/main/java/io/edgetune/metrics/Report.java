package io.edgetune.metrics;

import java.util.List;

/**
 * Quality of a set of predictions against reference boxes.
 *
 * @param ap                 mean over the classes with truths of their average precision ({@code NaN} without truths)
 * @param recall             matched truths over all truths, predictions at or above the operating threshold
 * @param precision          matched predictions over predictions at or above the operating threshold
 *                           ({@code NaN} when there are none)
 * @param operatingThreshold the score a prediction needs to count for recall and precision
 * @param images             images added
 * @param truths             reference boxes, all classes
 * @param predictions        predictions at or above the operating threshold
 * @param perClass           one entry per class seen in truths or predictions, by class id
 * @param apSmall            AP over the small truths (area &lt; 32² px), COCO style
 * @param recallSmall        recall of the small truths at the operating threshold
 * @param smallTruths        number of small truths
 */
public record Report(double ap, double recall, double precision, double operatingThreshold,
                     int images, int truths, int predictions, List<ClassReport> perClass,
                     double apSmall, double recallSmall, int smallTruths) {

    public Report {
        perClass = List.copyOf(perClass);
    }
}

package io.edgetune.metrics;

/**
 * Quality of one class.
 *
 * @param classId   label-map index
 * @param label     its name
 * @param truths    reference boxes of this class
 * @param ap        all-point interpolated average precision at the evaluation's IoU threshold
 *                  ({@code NaN} when the class has no truths)
 * @param recall    matched truths over truths at the operating threshold ({@code NaN} without truths)
 * @param precision matched predictions over predictions at the operating threshold ({@code NaN} without predictions)
 */
public record ClassReport(int classId, String label, int truths, double ap, double recall, double precision) {
}

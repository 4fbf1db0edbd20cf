package io.edgetune.metrics;

/**
 * Quality for the objects of one size bucket (COCO areas: small &lt; 32², medium 32²–96², large &ge; 96² px).
 * A truth belongs to the bucket of its own area; a prediction matched to a truth counts in the truth's bucket,
 * an unmatched prediction in the bucket of its own area.
 *
 * @param name        "small", "medium" or "large"
 * @param minArea     smallest area in the bucket, px² (inclusive)
 * @param maxArea     area where the next bucket starts, px² (exclusive; infinite for the last one)
 * @param truths      reference boxes in the bucket
 * @param predictions predictions counted in the bucket at the operating threshold
 * @param ap          mean over classes with truths in the bucket of their AP ({@code NaN} when the bucket is empty)
 * @param recall      recall at the operating threshold ({@code NaN} when the bucket has no truths)
 * @param precision   precision at the operating threshold ({@code NaN} when no prediction counts in the bucket)
 */
public record SizeReport(String name, double minArea, double maxArea, int truths, int predictions,
                         double ap, double recall, double precision) {
}

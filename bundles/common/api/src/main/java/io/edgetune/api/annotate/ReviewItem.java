package io.edgetune.api.annotate;

import java.util.List;

/**
 * One frame of a dataset with the teacher's labels and the boxes the gateway
 * reported for it (empty when the sample carried none).
 *
 * @param split "train", "val" or "none" (in the guard band between the two)
 */
public record ReviewItem(long imageId, long timestampMillis, long sequence, int width, int height, String split,
                         Verdict verdict, List<LabelBox> teacher, List<LabelBox> edge) {
}

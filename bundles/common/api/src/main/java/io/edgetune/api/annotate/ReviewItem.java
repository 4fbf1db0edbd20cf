package io.edgetune.api.annotate;

import java.util.List;

/**
 * One frame of a dataset with the teacher's labels and the boxes the gateway
 * reported for it (empty when the sample carried none).
 *
 * @param split    "train", "val" or "none" (in the guard band between the two)
 * @param teacher  the teacher's labels (as derived from its stored boxes)
 * @param human    the boxes a person stored for the frame (latest revision; empty when none or when they removed all)
 * @param revision how many times people stored boxes for the frame; 0 = not reviewed (the teacher's labels are used)
 * @since 1.1
 */
public record ReviewItem(long imageId, long timestampMillis, long sequence, int width, int height, String split,
                         Verdict verdict, List<LabelBox> teacher, List<LabelBox> edge, List<LabelBox> human, int revision) {

    /** A frame nobody has stored boxes for. */
    public ReviewItem(long imageId, long timestampMillis, long sequence, int width, int height, String split,
                      Verdict verdict, List<LabelBox> teacher, List<LabelBox> edge) {
        this(imageId, timestampMillis, sequence, width, height, split, verdict, teacher, edge, List.of(), 0);
    }

    /** True when a person stored boxes for the frame: they, not the teacher's, are trained and evaluated on. */
    public boolean reviewed() {
        return revision > 0;
    }
}

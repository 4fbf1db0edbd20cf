package io.edgetune.trainer;

import io.edgetune.api.detect.Detection;
import java.nio.file.Path;
import java.util.List;

/**
 * One image of the dataset with its teacher labels.
 *
 * @param jpeg  the image file (any format OpenCV reads; the annotator stores JPEG)
 * @param truth teacher boxes in the image's pixel coordinates; classId is the label map index
 */
public record LabelledImage(Path jpeg, List<Detection> truth) {

    public LabelledImage {
        truth = List.copyOf(truth);
    }
}

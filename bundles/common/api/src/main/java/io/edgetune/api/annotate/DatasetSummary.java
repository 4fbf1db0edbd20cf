package io.edgetune.api.annotate;

import java.util.Map;

/**
 * Counts of one camera's dataset.
 *
 * @param teacherBoxesPerClass teacher labels per class over the frames not rejected
 */
public record DatasetSummary(String gateway, String camera, int images, int train, int validation, int accepted,
                             int rejected, Map<String, Integer> teacherBoxesPerClass, String activeModelVersion) {
}

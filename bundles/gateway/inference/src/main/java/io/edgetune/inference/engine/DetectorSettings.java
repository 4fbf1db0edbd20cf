package io.edgetune.inference.engine;

import io.edgetune.api.detect.Detections;
import java.util.Set;

/**
 * Per-request detection parameters (from the component configuration).
 *
 * @param allowedLabels labels that may be reported; empty means every label
 */
public record DetectorSettings(Detections.Mode mode, float scoreThreshold, float nmsIou, int maxDetections,
                               Set<String> allowedLabels) {

    public static DetectorSettings defaults() {
        return new DetectorSettings(Detections.Mode.REGIONS, 0.5f, 0.5f, 50, Set.of());
    }

    public DetectorSettings withMode(Detections.Mode m) {
        return new DetectorSettings(m, scoreThreshold, nmsIou, maxDetections, allowedLabels);
    }

    public DetectorSettings withScoreThreshold(float t) {
        return new DetectorSettings(mode, t, nmsIou, maxDetections, allowedLabels);
    }

    public DetectorSettings withAllowedLabels(Set<String> labels) {
        return new DetectorSettings(mode, scoreThreshold, nmsIou, maxDetections, Set.copyOf(labels));
    }
}

package io.edgetune.api.model;

import java.util.List;
import java.util.Map;

/**
 * The manifest of one model version, as stored beside the model file.
 *
 * @param sha256      hex SHA-256 of the model file
 * @param labels      label map, index 0 is background
 * @param anchors     anchor scheme, e.g. "ssd-mobilenet-v2:300" (see the inference bundle's docs)
 * @param baseVersion the version this one was trained from, or null
 * @param metrics     evaluation figures recorded by the annotator (e.g. "ap50")
 * @param edgeTpu     compiled for the Coral Edge TPU
 */
public record ModelDescriptor(String version, String sha256, List<String> labels, int inputWidth, int inputHeight,
                              String anchors, String baseVersion, Map<String, Double> metrics, long createdMillis,
                              boolean edgeTpu) {
}

package io.edgetune.api.detect;

import io.edgetune.api.motion.Region;
import java.util.List;

/**
 * The detector's answer for one frame.
 *
 * @param regions        the crops the detector ran on (one full-frame region in full-frame mode)
 * @param inferenceNanos time spent inside the interpreter, all crops together
 * @param totalNanos     preparation + inference + decoding + NMS
 * @param build          which build of the model package ran: "edgetpu", "int8-cpu" or "float-cpu" (empty when unknown)
 * @param buildReason    why that build and not a faster one
 */
public record Detections(String cameraId, long frameSequence, long frameTimestampMillis, long captureNanos,
                         String modelVersion, String backend, Mode mode, List<Region> regions,
                         List<Detection> detections, long inferenceNanos, long totalNanos,
                         String build, String buildReason) {

    /** Detections that do not say which build ran. */
    public Detections(String cameraId, long frameSequence, long frameTimestampMillis, long captureNanos,
                      String modelVersion, String backend, Mode mode, List<Region> regions,
                      List<Detection> detections, long inferenceNanos, long totalNanos) {
        this(cameraId, frameSequence, frameTimestampMillis, captureNanos, modelVersion, backend, mode, regions, detections,
                inferenceNanos, totalNanos, "", "");
    }

    public enum Mode {
        /** The detector ran on each motion crop. */
        REGIONS,
        /** The detector ran on the whole frame. */
        FULL_FRAME
    }
}

package io.edgetune.api.track;

import java.util.List;

/**
 * One object followed across frames on one camera. The box is in full-frame
 * pixel coordinates, like {@link io.edgetune.api.detect.Detection}: the last
 * matched detection's box, or the motion model's prediction while the object
 * goes undetected.
 *
 * @param trackId         unique per camera for the life of the tracker (never reused)
 * @param score           the best detection score seen so far
 * @param firstSeenMillis frame timestamp of the first detection
 * @param lastSeenMillis  frame timestamp of the last matched detection
 * @param zones           names of the zones the object is in now (empty when none)
 */
public record Track(String cameraId, long trackId, int classId, String label, float score, float x, float y,
                    float width, float height, State state, long firstSeenMillis, long lastSeenMillis,
                    List<String> zones) {

    public enum State {
        /** Seen, not yet confirmed (no event yet). */
        TENTATIVE,
        /** Confirmed and moving. */
        ACTIVE,
        /** Confirmed and not moving; kept without fresh detections. */
        STATIONARY,
        /** Not matched recently; ends unless it is matched again soon. */
        LOST
    }
}

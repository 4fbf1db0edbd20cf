package io.edgetune.api.track;

import java.util.List;
import java.util.Map;

/**
 * The tracker's state after one frame of one camera.
 *
 * @param tracks     live tracks (tentative ones included)
 * @param zoneCounts zone name, then label, then the number of confirmed objects in it now
 */
public record TrackedFrame(String cameraId, long frameSequence, long frameTimestampMillis, List<Track> tracks,
                           Map<String, Map<String, Integer>> zoneCounts) {
}

package io.edgetune.liveview.internal;

import java.util.List;
import java.util.Map;

/**
 * One live picture of a camera with what was drawn on it: the JPEG (maybe scaled down) and the boxes in
 * full-frame pixel coordinates of a {@code width x height} frame; the page scales them onto the JPEG.
 *
 * @param source "tracks" (the tracker's objects, with ids) or "detections" (the detector's boxes, no tracker running)
 */
record Picture(String cameraId, long sequence, long timestampMillis, int width, int height, byte[] jpeg, String source,
               List<Box> boxes, Map<String, Map<String, Integer>> zoneCounts) {

    /** @param trackId -1 for a detection without a track */
    record Box(long trackId, String label, float score, float x, float y, float width, float height, String state, List<String> zones) {
    }
}

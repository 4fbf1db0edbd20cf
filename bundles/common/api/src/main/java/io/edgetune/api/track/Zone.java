package io.edgetune.api.track;

import java.util.List;

/**
 * A named polygon on one camera's frame, in full-frame pixel coordinates;
 * an object is in the zone when the bottom centre of its box (where it
 * stands) is inside the polygon.
 *
 * @param points x0, y0, x1, y1, ... (at least three points, simple polygon)
 */
public record Zone(String cameraId, String name, List<Float> points) {
}

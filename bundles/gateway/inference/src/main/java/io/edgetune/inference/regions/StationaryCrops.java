package io.edgetune.inference.regions;

import io.edgetune.api.motion.Region;
import io.edgetune.api.track.Track;
import java.util.ArrayList;
import java.util.List;

/**
 * Which motion crops a camera's stationary tracks make needless. A crop is dropped when it lies within the
 * union of the STATIONARY boxes, each grown by {@link #MARGIN} of its size on every side (motion crops are
 * padded and a standing person's arms move past the box), and no other track (moving, tentative or lost)
 * that reaches out of that union touches it: re-detecting there would only find what the tracker already
 * holds. Other tracks wholly inside the union are parts of the still objects (the model's flickering shoe
 * and clothing boxes on a standing person); something new that stays inside it is found by the periodic
 * full-frame pass, anything larger sticks out of the boxes. The union is tested on a grid of points
 * over the crop rather than as exact geometry: a few boxes at most, and a crop that only just leaves the
 * boxes between two grid points is a crop of a few pixels of motion.
 */
public final class StationaryCrops {

    /** Growth of a stationary box on each side, as a fraction of its width and height. */
    public static final float MARGIN = 0.2f;
    private static final int GRID = 6;

    private StationaryCrops() {
    }

    /**
     * The crops to run: those of {@code crops} not covered by stationary tracks; the same list when none is
     * dropped.
     *
     * @param tracks the camera's current tracks (any state); null or empty keeps every crop
     */
    public static List<Region> keep(List<Region> crops, List<Track> tracks) {
        if (tracks == null || tracks.isEmpty() || crops.isEmpty()) {
            return crops;
        }
        List<float[]> still = new ArrayList<>();
        for (Track t : tracks) {
            if (t.state() == Track.State.STATIONARY) {
                float mx = t.width() * MARGIN, my = t.height() * MARGIN;
                still.add(new float[] {t.x() - mx, t.y() - my, t.x() + t.width() + mx, t.y() + t.height() + my});
            }
        }
        if (still.isEmpty()) {
            return crops;
        }
        List<Region> kept = new ArrayList<>(crops.size());
        for (Region r : crops) {
            if (!covered(r.x(), r.y(), r.width(), r.height(), still) || touchesOther(r, tracks, still)) {
                kept.add(r);
            }
        }
        return kept.size() == crops.size() ? crops : List.copyOf(kept);
    }

    private static boolean covered(float rx, float ry, float rw, float rh, List<float[]> boxes) {
        for (int i = 0; i <= GRID; i++) {
            float y = ry + Math.max(0, rh - 1) * i / GRID;
            for (int j = 0; j <= GRID; j++) {
                float x = rx + Math.max(0, rw - 1) * j / GRID;
                boolean in = false;
                for (float[] b : boxes) {
                    if (x >= b[0] && x <= b[2] && y >= b[1] && y <= b[3]) {
                        in = true;
                        break;
                    }
                }
                if (!in) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean touchesOther(Region r, List<Track> tracks, List<float[]> still) {
        for (Track t : tracks) {
            if (t.state() != Track.State.STATIONARY && t.x() < r.right() && r.x() < t.x() + t.width()
                    && t.y() < r.bottom() && r.y() < t.y() + t.height() && !covered(t.x(), t.y(), t.width(), t.height(), still)) {
                return true;
            }
        }
        return false;
    }
}

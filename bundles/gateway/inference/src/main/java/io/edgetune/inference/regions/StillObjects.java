package io.edgetune.inference.regions;

import io.edgetune.api.detect.Detection;
import io.edgetune.api.motion.Region;
import java.util.ArrayList;
import java.util.List;

/**
 * What one camera's region mode knows about objects that do not move. Crops only cover what moved, so a
 * parked car is found only while someone walks past it. Every {@code fullFrameEvery}-th inference of the
 * camera therefore runs on the full frame; its detections outside that frame's motion are remembered, and
 * each crop pass until the next full-frame pass adds the remembered ones that lie outside its crops (inside
 * them the fresh crop detections speak). Not thread safe: one detector thread per camera's requests.
 */
public final class StillObjects {

    private final int fullFrameEvery;
    private int sinceFull;
    private List<Detection> remembered = List.of();

    /** @param fullFrameEvery a full-frame pass every this many inferences of the camera in region mode; 0 = never */
    public StillObjects(int fullFrameEvery) {
        if (fullFrameEvery < 0) {
            throw new IllegalArgumentException("fullframe.every must not be negative");
        }
        this.fullFrameEvery = fullFrameEvery;
    }

    /** The regions to run for this inference: the motion stage's, or none (the full frame) when a periodic pass is due. */
    public List<Region> regionsToRun(List<Region> motionRegions) {
        if (motionRegions.isEmpty()) {
            return motionRegions;
        }
        if (fullFrameDue()) {
            return List.of();
        }
        return motionRegions;
    }

    /** Whether this camera's next inference is its periodic full-frame pass (never when fullframe.every is 0). */
    public boolean fullFrameDue() {
        return fullFrameEvery > 0 && sinceFull + 1 >= fullFrameEvery;
    }

    /**
     * Counts a frame that needed inference but ran none (its crops held only stationary objects) towards the
     * next full-frame pass, so that skipped frames cannot postpone the re-detection of what stands still.
     */
    public void skipped() {
        sinceFull++;
    }

    /**
     * Records this inference's outcome and returns the detections to report.
     *
     * @param frameWidth    frame size, to tell a motion result that covers the whole frame (it says nothing about what stands still)
     * @param frameHeight   see frameWidth
     * @param motionRegions what moved in this frame (the motion stage's regions; empty when unknown)
     * @param ranFullFrame  whether this inference ran on the full frame
     * @param crops         the crops it ran (frame pixels); ignored for a full-frame run
     * @param found         its detections
     */
    public List<Detection> update(int frameWidth, int frameHeight, List<Region> motionRegions, boolean ranFullFrame, List<Region> crops, List<Detection> found) {
        if (ranFullFrame) {
            sinceFull = 0;
            if (!motionRegions.isEmpty() && !coversAll(motionRegions, frameWidth, frameHeight)) {
                List<Detection> still = new ArrayList<>();
                for (Detection d : found) {
                    if (!centredIn(d, motionRegions)) {
                        still.add(d);
                    }
                }
                remembered = List.copyOf(still);
            }
            return found;
        }
        sinceFull++;
        if (remembered.isEmpty()) {
            return found;
        }
        List<Detection> out = null;
        for (Detection d : remembered) {
            if (centredIn(d, crops) || overlapsAny(d, found)) {
                continue;
            }
            if (out == null) {
                out = new ArrayList<>(found);
            }
            out.add(d);
        }
        return out == null ? found : out;
    }

    /** The detections carried into crop passes now (from the last full-frame pass). */
    public List<Detection> remembered() {
        return remembered;
    }

    private static boolean coversAll(List<Region> regions, int frameWidth, int frameHeight) {
        long covered = 0;
        for (Region r : regions) {
            covered += r.area();
        }
        return covered >= (long) frameWidth * frameHeight;
    }

    private static boolean centredIn(Detection d, List<Region> regions) {
        float cx = d.x() + d.width() / 2;
        float cy = d.y() + d.height() / 2;
        for (Region r : regions) {
            if (cx >= r.x() && cx < r.x() + r.width() && cy >= r.y() && cy < r.y() + r.height()) {
                return true;
            }
        }
        return false;
    }

    private static boolean overlapsAny(Detection d, List<Detection> found) {
        for (Detection f : found) {
            if (f.classId() == d.classId() && f.iou(d) > 0.3f) {
                return true;
            }
        }
        return false;
    }
}

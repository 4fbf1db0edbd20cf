package io.edgetune.api.motion;

import io.edgetune.api.frame.Frame;
import java.util.List;

/**
 * What the motion stage found in one frame.
 *
 * @param frame       the frame (valid during the callback; retain to keep it)
 * @param regions     crops for the detector in frame coordinates; empty means no inference
 * @param motionRatio fraction of the (downscaled) frame that moved, 0..1
 * @param fullFrame   motion covered most of the frame, so the single region is the whole frame
 * @param state       why the regions are what they are
 * @param motionNanos time the motion step took
 */
public record MotionResult(Frame frame, List<Region> regions, double motionRatio, boolean fullFrame,
                           State state, long motionNanos) {

    public enum State {
        /** The background model is still forming; no regions yet. */
        WARMUP,
        /** Nothing moved: no inference needed. */
        STATIC,
        /** Something moved: see regions. */
        MOTION,
        /** A global lighting change reset the background; no regions for this frame. */
        LIGHTING_RESET
    }

    public boolean needsInference() {
        return !regions.isEmpty();
    }
}

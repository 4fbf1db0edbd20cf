package io.edgetune.tracker.engine;

import io.edgetune.api.frame.Frame;

/** Encodes the crop of a box of a frame, called on the tracker's thread while the frame is held. */
@FunctionalInterface
public interface SnapshotEncoder {

    /** The crop as a JPEG, or null when it cannot be made within the size cap. */
    byte[] encode(Frame frame, float x, float y, float width, float height);
}

package io.edgetune.api.track;

import io.edgetune.api.frame.Frame;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard service: receives each frame's tracks and every event, on the
 * tracker's thread. Must not block; retain the frame to keep it.
 */
@ConsumerType
public interface TrackListener {

    void onTracks(TrackedFrame tracked, Frame frame);

    void onEvent(TrackEvent event);
}

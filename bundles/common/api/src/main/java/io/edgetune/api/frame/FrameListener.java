package io.edgetune.api.frame;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard service: receives every frame of every camera. Called on the
 * camera's delivery thread (the grabber hands frames to it, so a slow
 * listener costs dropped frames, never a stalled decoder); it must still
 * return quickly: a listener with slow work retains the frame, queues it
 * (bounded) and releases it later.
 */
@ConsumerType
public interface FrameListener {

    /** Optional service property: only frames of this camera id are delivered. */
    String CAMERA_ID = "camera.id";

    void onFrame(Frame frame);
}

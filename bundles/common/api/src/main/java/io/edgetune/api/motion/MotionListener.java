package io.edgetune.api.motion;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard service: receives motion results for every processed frame,
 * on the motion stage's thread. Must not block; retain the frame to keep it.
 */
@ConsumerType
public interface MotionListener {

    void onMotion(MotionResult result);
}

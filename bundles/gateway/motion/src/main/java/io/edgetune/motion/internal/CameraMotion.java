package io.edgetune.motion.internal;

/** Internal service of each motion detector, collected by {@link MotionControl} for {@code MotionService}. */
public interface CameraMotion {

    String cameraId();

    void reset();

    double skipRatio();
}

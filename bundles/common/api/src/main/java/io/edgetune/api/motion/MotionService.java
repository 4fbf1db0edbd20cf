package io.edgetune.api.motion;

import org.osgi.annotation.versioning.ProviderType;

/** Control of the per-camera motion stage. */
@ProviderType
public interface MotionService {

    /** Forgets the background of a camera; it warms up again. Returns false for an unknown camera. */
    boolean reset(String cameraId);

    /** Fraction of processed frames of this camera that needed no inference (0..1), or -1 if unknown. */
    double skipRatio(String cameraId);
}

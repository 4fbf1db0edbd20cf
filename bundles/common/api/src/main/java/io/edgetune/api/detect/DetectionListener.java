package io.edgetune.api.detect;

import io.edgetune.api.frame.Frame;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard service: receives detections with the frame they came from, on
 * the detector's thread. Must not block; retain the frame to keep it.
 */
@ConsumerType
public interface DetectionListener {

    void onDetections(Detections detections, Frame frame);
}

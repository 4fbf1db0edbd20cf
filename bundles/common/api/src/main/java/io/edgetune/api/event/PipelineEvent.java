package io.edgetune.api.event;

import java.util.Map;

/**
 * Something worth telling the operator: a camera changed state, a model was
 * swapped or refused, a background was reset.
 *
 * @param cameraId the camera concerned, or null for gateway-wide events
 */
public record PipelineEvent(String type, String cameraId, long timeMillis, String message,
                            Map<String, Object> properties) {

    public static final String CAMERA_STATE = "camera.state";
    public static final String MOTION_RESET = "motion.reset";
    public static final String MODEL_ACTIVATED = "model.activated";
    public static final String MODEL_REJECTED = "model.rejected";
    public static final String MODEL_ROLLED_BACK = "model.rolledback";
    public static final String DETECTOR_FALLBACK = "detector.fallback";
}

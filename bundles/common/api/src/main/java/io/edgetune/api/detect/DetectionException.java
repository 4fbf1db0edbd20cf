package io.edgetune.api.detect;

/** The detector could not process a request (no model, queue full, engine failure). */
public class DetectionException extends Exception {

    private static final long serialVersionUID = 1L;

    public DetectionException(String message) {
        super(message);
    }

    public DetectionException(String message, Throwable cause) {
        super(message, cause);
    }
}

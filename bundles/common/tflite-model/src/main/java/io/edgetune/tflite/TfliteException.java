package io.edgetune.tflite;

/** A file that is not a TFLite model, is truncated or corrupt, or uses a part of the schema this reader does not carry. */
public class TfliteException extends Exception {

    private static final long serialVersionUID = 1L;

    public TfliteException(String message) {
        super(message);
    }

    public TfliteException(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.edgetune.api.model;

/** A model package or version was refused; the message says why, the active model is untouched. */
public class ModelException extends Exception {

    private static final long serialVersionUID = 1L;

    public ModelException(String message) {
        super(message);
    }

    public ModelException(String message, Throwable cause) {
        super(message, cause);
    }
}

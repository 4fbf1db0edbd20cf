package io.edgetune.inference.internal;

import io.edgetune.inference.engine.EngineException;

/**
 * The configured backend cannot run here at all (its bundle is not installed,
 * or it has no natives for this platform). Unlike other engine failures this
 * says nothing about the model, so the registry must not give up on the model.
 */
public final class BackendUnavailableException extends EngineException {

    private static final long serialVersionUID = 1L;

    public BackendUnavailableException(String message) {
        super(message);
    }

    public BackendUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}

package org.eclipse.kura.cloudconnection.request;

/** Property keys of request messages handed to a {@link RequestHandler}. */
public enum RequestHandlerMessageConstants {

    /** The request's resource path segments, a {@code List<String>}. */
    ARGS_KEY("args");

    private final String value;

    RequestHandlerMessageConstants(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }
}

package io.edgetune.commands.internal;

/** A request that cannot be served; {@link #code()} is the reply's response.code. */
public class CommandException extends Exception {

    private static final long serialVersionUID = 1L;

    public static final int OK = 200;
    public static final int BAD_REQUEST = 400;
    public static final int NOT_FOUND = 404;
    public static final int FAILED = 500;

    private final int code;
    private final String missing;

    public CommandException(int code, String message) {
        this(code, message, null);
    }

    public CommandException(int code, String message, Throwable cause) {
        this(code, message, cause, null);
    }

    private CommandException(int code, String message, Throwable cause, String missing) {
        super(message, cause);
        this.code = code;
        this.missing = missing;
    }

    public int code() {
        return code;
    }

    /**
     * For 404: what kind of thing does not exist ({@code resource}, {@code service},
     * {@code upload}, {@code camera}, {@code operation}); the reply's metric
     * {@code not.found}, so a requester need not parse the message. Null otherwise.
     */
    public String missing() {
        return missing;
    }

    public static CommandException badRequest(String message) {
        return new CommandException(BAD_REQUEST, message);
    }

    /** An unknown resource path. */
    public static CommandException notFound(String message) {
        return notFound(RESOURCE, message);
    }

    public static CommandException notFound(String missing, String message) {
        return new CommandException(NOT_FOUND, message, null, missing);
    }

    public static final String RESOURCE = "resource";
    public static final String SERVICE = "service";
    public static final String UPLOAD = "upload";
    public static final String CAMERA = "camera";
    public static final String OPERATION = "operation";
}

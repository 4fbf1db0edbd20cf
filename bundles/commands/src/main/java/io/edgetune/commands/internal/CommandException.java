package io.edgetune.commands.internal;

/** A request that cannot be served; {@link #code()} is the reply's response.code. */
public class CommandException extends Exception {

    private static final long serialVersionUID = 1L;

    public static final int BAD_REQUEST = 400;
    public static final int NOT_FOUND = 404;
    public static final int FAILED = 500;

    private final int code;

    public CommandException(int code, String message) {
        super(message);
        this.code = code;
    }

    public CommandException(int code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static CommandException badRequest(String message) {
        return new CommandException(BAD_REQUEST, message);
    }

    public static CommandException notFound(String message) {
        return new CommandException(NOT_FOUND, message);
    }
}

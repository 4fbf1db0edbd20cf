package io.edgetune.trainer;

/** Training could not run or was cancelled; the message says why in one line. */
public class TrainingException extends Exception {

    private static final long serialVersionUID = 1L;
    private final boolean cancelled;

    public TrainingException(String message) {
        this(message, null, false);
    }

    public TrainingException(String message, Throwable cause) {
        this(message, cause, false);
    }

    private TrainingException(String message, Throwable cause, boolean cancelled) {
        super(message, cause);
        this.cancelled = cancelled;
    }

    static TrainingException cancelledDuring(String phase) {
        return new TrainingException("training cancelled during " + phase, null, true);
    }

    /** True when the run stopped because the caller cancelled it. */
    public boolean cancelled() {
        return cancelled;
    }
}

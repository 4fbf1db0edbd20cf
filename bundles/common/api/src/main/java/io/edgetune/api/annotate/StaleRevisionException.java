package io.edgetune.api.annotate;

/**
 * A person's boxes were edited on an older revision of the frame than the one stored: someone else saved in
 * between. Nothing was stored; the person reloads the frame to see the other edit.
 *
 * @since 1.1
 */
public class StaleRevisionException extends IllegalStateException {

    private static final long serialVersionUID = 1L;
    private final int current;

    public StaleRevisionException(String message, int current) {
        super(message);
        this.current = current;
    }

    /** The frame's revision now. */
    public int current() {
        return current;
    }
}

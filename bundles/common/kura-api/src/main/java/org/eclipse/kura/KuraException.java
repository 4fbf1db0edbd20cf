package org.eclipse.kura;

import java.util.Arrays;
import org.osgi.annotation.versioning.ProviderType;

/** A failure carrying a {@link KuraErrorCode}; optional arguments describe the details. */
@ProviderType
public class KuraException extends Exception {

    private static final long serialVersionUID = 7468633737373095296L; // Kura's value: the two serialise alike

    private final KuraErrorCode code;
    private final Object[] arguments;

    public KuraException(KuraErrorCode code) {
        this.code = code;
        this.arguments = null;
    }

    public KuraException(KuraErrorCode code, Object... arguments) {
        this.code = code;
        this.arguments = arguments;
    }

    public KuraException(KuraErrorCode code, Throwable cause, Object... arguments) {
        super(cause);
        this.code = code;
        this.arguments = arguments;
    }

    public static KuraException internalError(String message) {
        return new KuraException(KuraErrorCode.INTERNAL_ERROR, null, message);
    }

    public static KuraException internalError(Throwable cause) {
        return new KuraException(KuraErrorCode.INTERNAL_ERROR, cause, "");
    }

    public static KuraException internalError(Throwable cause, String message) {
        return new KuraException(KuraErrorCode.INTERNAL_ERROR, cause, message);
    }

    public KuraErrorCode getCode() {
        return code;
    }

    /** The code followed by the arguments (or the cause's message when there are none). */
    @Override
    public String getMessage() {
        StringBuilder sb = new StringBuilder(String.valueOf(code));
        if (arguments != null && arguments.length > 0) {
            String details = arguments.length == 1 ? String.valueOf(arguments[0]) : Arrays.toString(arguments);
            if (!details.isEmpty()) {
                sb.append(": ").append(details);
            }
        } else if (getCause() != null && getCause().getMessage() != null) {
            sb.append(": ").append(getCause().getMessage());
        }
        return sb.toString();
    }

    @Override
    public String getLocalizedMessage() {
        return getMessage();
    }
}

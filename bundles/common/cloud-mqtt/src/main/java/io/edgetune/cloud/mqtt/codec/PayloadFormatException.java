package io.edgetune.cloud.mqtt.codec;

/** Bytes that are not a valid KuraPayload, or a payload that cannot be encoded. */
public class PayloadFormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public PayloadFormatException(String message) {
        super(message);
    }

    public PayloadFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}

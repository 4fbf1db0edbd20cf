package org.eclipse.kura;

/** The error codes EdgeTune raises or interprets; a subset of Kura's, with the same names. */
public enum KuraErrorCode {
    CONFIGURATION_ERROR,
    INTERNAL_ERROR,
    INVALID_PARAMETER,
    NOT_CONNECTED,
    NOT_FOUND,
    BAD_REQUEST,
    OPERATION_NOT_SUPPORTED,
    STORE_ERROR,
    ENCODE_ERROR,
    DECODER_ERROR,
    TIMED_OUT
}

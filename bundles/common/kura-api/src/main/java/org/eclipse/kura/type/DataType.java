package org.eclipse.kura.type;

import java.util.Locale;

/** The kinds of value a {@link TypedValue} can hold. */
public enum DataType {

    BOOLEAN,
    BYTE_ARRAY,
    DOUBLE,
    INTEGER,
    LONG,
    FLOAT,
    STRING;

    /**
     * The constant with the given name, ignoring case.
     *
     * @throws IllegalArgumentException when no constant has that name (null included)
     */
    public static DataType getDataType(String stringDataType) {
        if (stringDataType != null) {
            String wanted = stringDataType.toUpperCase(Locale.ROOT);
            for (DataType t : values()) {
                if (t.name().equals(wanted)) {
                    return t;
                }
            }
        }
        throw new IllegalArgumentException("Unknown data type: " + stringDataType);
    }
}

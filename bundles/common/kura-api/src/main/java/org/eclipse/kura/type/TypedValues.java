package org.eclipse.kura.type;

import java.util.Base64;
import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;

/** Factory methods for the {@link TypedValue} implementations. */
@ProviderType
public final class TypedValues {

    private TypedValues() {
    }

    public static BooleanValue newBooleanValue(final boolean value) {
        return new BooleanValue(value);
    }

    public static ByteArrayValue newByteArrayValue(final byte[] value) {
        return new ByteArrayValue(value);
    }

    public static FloatValue newFloatValue(final float value) {
        return new FloatValue(value);
    }

    public static DoubleValue newDoubleValue(final double value) {
        return new DoubleValue(value);
    }

    public static IntegerValue newIntegerValue(final int value) {
        return new IntegerValue(value);
    }

    public static LongValue newLongValue(final long value) {
        return new LongValue(value);
    }

    /** A null string becomes the empty string. */
    public static StringValue newStringValue(final String value) {
        return new StringValue(value);
    }

    /**
     * The typed value of a Boolean, byte[], Float, Double, Integer, Long or String.
     *
     * @throws IllegalArgumentException for any other object, null included
     */
    public static TypedValue<?> newTypedValue(final Object value) {
        if (value instanceof Boolean b) {
            return newBooleanValue(b);
        } else if (value instanceof byte[] bytes) {
            return newByteArrayValue(bytes);
        } else if (value instanceof Float f) {
            return newFloatValue(f);
        } else if (value instanceof Double d) {
            return newDoubleValue(d);
        } else if (value instanceof Integer i) {
            return newIntegerValue(i);
        } else if (value instanceof Long l) {
            return newLongValue(l);
        } else if (value instanceof String s) {
            return newStringValue(s);
        }
        throw new IllegalArgumentException("No typed value for " + (value == null ? "null" : value.getClass().getName()));
    }

    /**
     * Parses the text form of a value of the given type (Base64 for byte arrays).
     *
     * @throws NullPointerException     when value is null
     * @throws IllegalArgumentException when the text is not a value of that type
     */
    public static TypedValue<?> parseTypedValue(final DataType type, final String value) {
        Objects.requireNonNull(value, "value is null");
        try {
            switch (Objects.requireNonNull(type, "type is null")) {
                case BOOLEAN:
                    return newBooleanValue(Boolean.parseBoolean(value));
                case BYTE_ARRAY:
                    return newByteArrayValue(Base64.getDecoder().decode(value));
                case DOUBLE:
                    return newDoubleValue(Double.parseDouble(value));
                case FLOAT:
                    return newFloatValue(Float.parseFloat(value));
                case INTEGER:
                    return newIntegerValue(Integer.parseInt(value));
                case LONG:
                    return newLongValue(Long.parseLong(value));
                case STRING:
                    return newStringValue(value);
                default:
                    break;
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + value + "' is not a " + type + " value", e);
        }
        throw new IllegalArgumentException("'" + value + "' is not a " + type + " value");
    }
}

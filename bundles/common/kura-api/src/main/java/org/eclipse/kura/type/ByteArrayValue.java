package org.eclipse.kura.type;

import java.util.Arrays;
import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A {@link DataType#BYTE_ARRAY} value. The array is kept as given, not
 * copied: callers must not change it afterwards. Arrays compare as unsigned
 * bytes, then by length.
 */
@ProviderType
public class ByteArrayValue implements TypedValue<byte[]> {

    private final byte[] value;

    public ByteArrayValue(final byte[] value) {
        this.value = Objects.requireNonNull(value, "the byte array is null");
    }

    @Override
    public DataType getType() {
        return DataType.BYTE_ARRAY;
    }

    @Override
    public byte[] getValue() {
        return value;
    }

    @Override
    public int compareTo(final TypedValue<byte[]> otherTypedValue) {
        Objects.requireNonNull(otherTypedValue, "the other value is null");
        return Arrays.compareUnsigned(value, otherTypedValue.getValue());
    }

    @Override
    public boolean equals(final Object obj) {
        return obj != null && obj.getClass() == getClass() && Arrays.equals(value, ((ByteArrayValue) obj).value);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "ByteArrayValue [value=" + Arrays.toString(value) + "]";
    }
}

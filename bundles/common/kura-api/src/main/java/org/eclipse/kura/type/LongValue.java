package org.eclipse.kura.type;

import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;

/** An immutable {@link DataType#LONG} value. */
@ProviderType
public class LongValue implements TypedValue<Long> {

    private final long value;

    public LongValue(final long value) {
        this.value = value;
    }

    @Override
    public DataType getType() {
        return DataType.LONG;
    }

    @Override
    public Long getValue() {
        return value;
    }

    @Override
    public int compareTo(final TypedValue<Long> otherTypedValue) {
        Objects.requireNonNull(otherTypedValue, "the other value is null");
        return Long.compare(value, otherTypedValue.getValue());
    }

    @Override
    public boolean equals(final Object obj) {
        return obj != null && obj.getClass() == getClass() && value == ((LongValue) obj).value;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(value);
    }

    @Override
    public String toString() {
        return "LongValue [value=" + value + "]";
    }
}

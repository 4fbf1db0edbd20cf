package org.eclipse.kura.type;

import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;

/** An immutable {@link DataType#INTEGER} value. */
@ProviderType
public class IntegerValue implements TypedValue<Integer> {

    private final int value;

    public IntegerValue(final int value) {
        this.value = value;
    }

    @Override
    public DataType getType() {
        return DataType.INTEGER;
    }

    @Override
    public Integer getValue() {
        return value;
    }

    @Override
    public int compareTo(final TypedValue<Integer> otherTypedValue) {
        Objects.requireNonNull(otherTypedValue, "the other value is null");
        return Integer.compare(value, otherTypedValue.getValue());
    }

    @Override
    public boolean equals(final Object obj) {
        return obj != null && obj.getClass() == getClass() && value == ((IntegerValue) obj).value;
    }

    @Override
    public int hashCode() {
        return Integer.hashCode(value);
    }

    @Override
    public String toString() {
        return "IntegerValue [value=" + value + "]";
    }
}

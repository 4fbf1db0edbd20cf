package org.eclipse.kura.type;

import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;

/** An immutable {@link DataType#BOOLEAN} value. */
@ProviderType
public class BooleanValue implements TypedValue<Boolean> {

    private final boolean value;

    public BooleanValue(final boolean value) {
        this.value = value;
    }

    @Override
    public DataType getType() {
        return DataType.BOOLEAN;
    }

    @Override
    public Boolean getValue() {
        return value;
    }

    @Override
    public int compareTo(final TypedValue<Boolean> otherTypedValue) {
        Objects.requireNonNull(otherTypedValue, "the other value is null");
        return Boolean.compare(value, otherTypedValue.getValue());
    }

    @Override
    public boolean equals(final Object obj) {
        return obj != null && obj.getClass() == getClass() && value == ((BooleanValue) obj).value;
    }

    @Override
    public int hashCode() {
        return Boolean.hashCode(value);
    }

    @Override
    public String toString() {
        return "BooleanValue [value=" + value + "]";
    }
}

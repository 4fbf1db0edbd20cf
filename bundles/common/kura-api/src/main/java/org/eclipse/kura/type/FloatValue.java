package org.eclipse.kura.type;

import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;

/** An immutable {@link DataType#FLOAT} value. */
@ProviderType
public class FloatValue implements TypedValue<Float> {

    private final float value;

    public FloatValue(final float value) {
        this.value = value;
    }

    @Override
    public DataType getType() {
        return DataType.FLOAT;
    }

    @Override
    public Float getValue() {
        return value;
    }

    @Override
    public int compareTo(final TypedValue<Float> otherTypedValue) {
        Objects.requireNonNull(otherTypedValue, "the other value is null");
        return Float.compare(value, otherTypedValue.getValue());
    }

    @Override
    public boolean equals(final Object obj) {
        return obj != null && obj.getClass() == getClass() && Float.compare(value, ((FloatValue) obj).value) == 0;
    }

    @Override
    public int hashCode() {
        return Float.hashCode(value);
    }

    @Override
    public String toString() {
        return "FloatValue [value=" + value + "]";
    }
}

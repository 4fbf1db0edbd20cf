package org.eclipse.kura.type;

import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;

/** An immutable {@link DataType#DOUBLE} value. */
@ProviderType
public class DoubleValue implements TypedValue<Double> {

    private final double value;

    public DoubleValue(final double value) {
        this.value = value;
    }

    @Override
    public DataType getType() {
        return DataType.DOUBLE;
    }

    @Override
    public Double getValue() {
        return value;
    }

    @Override
    public int compareTo(final TypedValue<Double> otherTypedValue) {
        Objects.requireNonNull(otherTypedValue, "the other value is null");
        return Double.compare(value, otherTypedValue.getValue());
    }

    @Override
    public boolean equals(final Object obj) {
        return obj != null && obj.getClass() == getClass() && Double.compare(value, ((DoubleValue) obj).value) == 0;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(value);
    }

    @Override
    public String toString() {
        return "DoubleValue [value=" + value + "]";
    }
}

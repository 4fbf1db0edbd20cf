package org.eclipse.kura.type;

import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;

/** An immutable {@link DataType#STRING} value; null becomes the empty string. */
@ProviderType
public class StringValue implements TypedValue<String> {

    private final String value;

    public StringValue(final String value) {
        this.value = value == null ? "" : value;
    }

    @Override
    public DataType getType() {
        return DataType.STRING;
    }

    @Override
    public String getValue() {
        return value;
    }

    @Override
    public int compareTo(final TypedValue<String> otherTypedValue) {
        Objects.requireNonNull(otherTypedValue, "the other value is null");
        return value.compareTo(otherTypedValue.getValue());
    }

    @Override
    public boolean equals(final Object obj) {
        return obj != null && obj.getClass() == getClass() && value.equals(((StringValue) obj).value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return "StringValue [value=" + value + "]";
    }
}

package org.eclipse.kura.type;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A value together with its {@link DataType}. Implementations are immutable
 * and compare by value with other values of the same type.
 *
 * @param <T> the Java type of the value
 */
@ProviderType
public interface TypedValue<T> extends Comparable<TypedValue<T>> {

    DataType getType();

    T getValue();
}

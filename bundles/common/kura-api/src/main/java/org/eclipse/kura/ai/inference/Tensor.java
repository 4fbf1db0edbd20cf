package org.eclipse.kura.ai.inference;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/** Data of one model input or output: a flat list of values of one Java type, described by a {@link TensorDescriptor}. */
@ProviderType
public class Tensor {

    private final Class<?> type;
    private final TensorDescriptor descriptor;
    private final List<?> data;

    public <T> Tensor(Class<T> type, TensorDescriptor descriptor, List<T> data) {
        this.type = type;
        this.descriptor = descriptor;
        this.data = data;
    }

    public TensorDescriptor getDescriptor() {
        return descriptor;
    }

    /** The values, if they are of the asked type; empty otherwise. */
    @SuppressWarnings("unchecked")
    public <T> Optional<List<T>> getData(Class<T> asType) {
        return type == asType ? Optional.of((List<T>) data) : Optional.empty();
    }

    public Class<?> getType() {
        return type;
    }
}

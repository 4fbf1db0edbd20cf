package org.eclipse.kura.ai.inference;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/** Builds a {@link TensorDescriptor}. */
@ProviderType
public class TensorDescriptorBuilder {

    private final String name;
    private final String type;
    private final List<Long> shape;
    private final Map<String, Object> parameters = new HashMap<>();
    private Optional<String> format = Optional.empty();

    TensorDescriptorBuilder(String name, String type, List<Long> shape) {
        this.name = name;
        this.type = type;
        this.shape = shape;
    }

    public static TensorDescriptorBuilder fromTensorDescriptor(TensorDescriptor descriptor) {
        TensorDescriptorBuilder b = new TensorDescriptorBuilder(descriptor.getName(), descriptor.getType(), descriptor.getShape());
        b.parameters.putAll(descriptor.getParameters());
        b.format = descriptor.getFormat();
        return b;
    }

    public TensorDescriptorBuilder format(String value) {
        this.format = Optional.ofNullable(value);
        return this;
    }

    public TensorDescriptorBuilder addParameter(String key, Object value) {
        parameters.put(key, value);
        return this;
    }

    public TensorDescriptorBuilder removeParameter(String key) {
        parameters.remove(key);
        return this;
    }

    public TensorDescriptor build() {
        return new TensorDescriptor(name, type, format, shape, parameters);
    }
}

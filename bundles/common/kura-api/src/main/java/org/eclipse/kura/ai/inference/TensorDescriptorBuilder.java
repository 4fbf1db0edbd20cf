package org.eclipse.kura.ai.inference;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/** Builds a {@link TensorDescriptor} (get one from {@link TensorDescriptor#builder}). */
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

    /** A null or empty format leaves the format unset. */
    public TensorDescriptorBuilder format(String format) {
        if (format != null && !format.isEmpty()) {
            this.format = Optional.of(format);
        }
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

    /** @throws IllegalArgumentException when the name, the type or the shape is null or empty */
    public TensorDescriptor build() {
        if (name == null || name.isEmpty() || type == null || type.isEmpty() || shape == null || shape.isEmpty()) {
            throw new IllegalArgumentException("a tensor needs a name, a type and a shape");
        }
        return new TensorDescriptor(name, type, format, shape, parameters);
    }
}

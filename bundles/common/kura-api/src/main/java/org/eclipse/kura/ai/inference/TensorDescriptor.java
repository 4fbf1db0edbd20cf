package org.eclipse.kura.ai.inference;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/** Name, element type (engine specific, e.g. "FP32"), optional layout format, shape and free parameters of a tensor. */
@ProviderType
public class TensorDescriptor {

    private final String name;
    private final String type;
    private final Optional<String> format;
    private final List<Long> shape;
    private final Map<String, Object> parameters;

    public TensorDescriptor(String name, String type, Optional<String> format, List<Long> shape, Map<String, Object> parameters) {
        this.name = name;
        this.type = type;
        this.format = format;
        this.shape = Collections.unmodifiableList(new ArrayList<>(shape));
        this.parameters = Collections.unmodifiableMap(new HashMap<>(parameters));
    }

    public static TensorDescriptorBuilder builder(String name, String type, List<Long> shape) {
        return new TensorDescriptorBuilder(name, type, shape);
    }

    public TensorDescriptorBuilder toBuilder() {
        return TensorDescriptorBuilder.fromTensorDescriptor(this);
    }

    public String getName() {
        return name;
    }

    public String getType() {
        return type;
    }

    public Optional<String> getFormat() {
        return format;
    }

    /** Unmodifiable. */
    public List<Long> getShape() {
        return shape;
    }

    /** Unmodifiable. */
    public Map<String, Object> getParameters() {
        return parameters;
    }
}

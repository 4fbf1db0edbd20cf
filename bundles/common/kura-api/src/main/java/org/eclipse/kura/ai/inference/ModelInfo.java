package org.eclipse.kura.ai.inference;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What an engine knows about one model: its name, optional platform and
 * version, free parameters, and its input and output tensors. Immutable; the
 * getters return unmodifiable views. Start from {@link #builder(String)}.
 */
@ProviderType
public class ModelInfo {

    private final String name;
    private final Optional<String> platform;
    private final Optional<String> version;
    private final Map<String, Object> parameters;
    private final List<TensorDescriptor> inputs;
    private final List<TensorDescriptor> outputs;

    protected ModelInfo(String modelName, Optional<String> platform, Optional<String> version,
                        Map<String, Object> parameters, List<TensorDescriptor> inputDescriptors,
                        List<TensorDescriptor> outputDescriptors) {
        this.name = modelName;
        this.platform = platform;
        this.version = version;
        this.parameters = Collections.unmodifiableMap(parameters);
        this.inputs = Collections.unmodifiableList(inputDescriptors);
        this.outputs = Collections.unmodifiableList(outputDescriptors);
    }

    public static ModelInfoBuilder builder(String name) {
        return new ModelInfoBuilder(name);
    }

    /** A builder preset with everything this info holds. */
    public ModelInfoBuilder toBuilder() {
        return ModelInfoBuilder.fromModelInfo(this);
    }

    public String getName() {
        return name;
    }

    public Optional<String> getPlatform() {
        return platform;
    }

    public Optional<String> getVersion() {
        return version;
    }

    public Map<String, Object> getParameters() {
        return parameters;
    }

    public List<TensorDescriptor> getInputs() {
        return inputs;
    }

    public List<TensorDescriptor> getOutputs() {
        return outputs;
    }
}

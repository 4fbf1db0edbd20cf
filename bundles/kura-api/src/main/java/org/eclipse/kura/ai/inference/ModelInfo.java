package org.eclipse.kura.ai.inference;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/** What an engine knows about one model: name, platform, version, parameters and its input and output tensors. */
@ProviderType
public class ModelInfo {

    private final String name;
    private final Optional<String> platform;
    private final Optional<String> version;
    private final Map<String, Object> parameters;
    private final List<TensorDescriptor> inputs;
    private final List<TensorDescriptor> outputs;

    protected ModelInfo(String modelName, String platform, String version, Map<String, Object> parameters,
                        List<TensorDescriptor> inputDescriptors, List<TensorDescriptor> outputDescriptors) {
        this.name = modelName;
        this.platform = platform == null || platform.isEmpty() ? Optional.empty() : Optional.of(platform);
        this.version = version == null || version.isEmpty() ? Optional.empty() : Optional.of(version);
        this.parameters = Map.copyOf(parameters);
        this.inputs = List.copyOf(inputDescriptors);
        this.outputs = List.copyOf(outputDescriptors);
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

    /** A copy the caller may change. */
    public Map<String, Object> getParameters() {
        return new java.util.HashMap<>(parameters);
    }

    /** A copy the caller may change. */
    public List<TensorDescriptor> getInputs() {
        return new java.util.ArrayList<>(inputs);
    }

    /** A copy the caller may change. */
    public List<TensorDescriptor> getOutputs() {
        return new java.util.ArrayList<>(outputs);
    }
}

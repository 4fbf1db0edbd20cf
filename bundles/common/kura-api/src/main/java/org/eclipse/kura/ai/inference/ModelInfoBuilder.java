package org.eclipse.kura.ai.inference;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Builds a {@link ModelInfo} (get one from {@link ModelInfo#builder(String)}).
 * A null or empty platform or version leaves the value unset; {@link #build()}
 * needs a non-empty name and at least one input and one output descriptor.
 */
@ProviderType
public class ModelInfoBuilder {

    private final String name;
    private Optional<String> platform = Optional.empty();
    private Optional<String> version = Optional.empty();
    private final Map<String, Object> parameters = new HashMap<>();
    private final List<TensorDescriptor> inputs = new ArrayList<>();
    private final List<TensorDescriptor> outputs = new ArrayList<>();

    ModelInfoBuilder(String name) {
        this.name = name;
    }

    public static ModelInfoBuilder fromModelInfo(ModelInfo modelInfo) {
        ModelInfoBuilder b = new ModelInfoBuilder(modelInfo.getName());
        b.platform = modelInfo.getPlatform();
        b.version = modelInfo.getVersion();
        b.parameters.putAll(modelInfo.getParameters());
        b.inputs.addAll(modelInfo.getInputs());
        b.outputs.addAll(modelInfo.getOutputs());
        return b;
    }

    /** A null or empty platform leaves the platform as it was. */
    public ModelInfoBuilder platform(String platform) {
        this.platform = nonEmptyOr(platform, this.platform);
        return this;
    }

    /** A null or empty version leaves the version as it was. */
    public ModelInfoBuilder version(String version) {
        this.version = nonEmptyOr(version, this.version);
        return this;
    }

    private static Optional<String> nonEmptyOr(String value, Optional<String> current) {
        return value == null || value.isEmpty() ? current : Optional.of(value);
    }

    public ModelInfoBuilder addParameter(String name, Object parameter) {
        parameters.put(name, parameter);
        return this;
    }

    public ModelInfoBuilder removeParameter(String name) {
        parameters.remove(name);
        return this;
    }

    public ModelInfoBuilder addInputDescriptor(TensorDescriptor inputDescriptor) {
        inputs.add(inputDescriptor);
        return this;
    }

    public ModelInfoBuilder addAllInputDescriptor(List<TensorDescriptor> inputDescriptors) {
        inputs.addAll(inputDescriptors);
        return this;
    }

    public ModelInfoBuilder removeInputDescriptor(TensorDescriptor inputDescriptor) {
        inputs.remove(inputDescriptor);
        return this;
    }

    public ModelInfoBuilder addOutputDescriptor(TensorDescriptor outputDescriptor) {
        outputs.add(outputDescriptor);
        return this;
    }

    public ModelInfoBuilder addAllOutputDescriptor(List<TensorDescriptor> outputDescriptors) {
        outputs.addAll(outputDescriptors);
        return this;
    }

    public ModelInfoBuilder removeOutputDescriptor(TensorDescriptor outputDescriptor) {
        outputs.remove(outputDescriptor);
        return this;
    }

    /** @throws IllegalArgumentException when the name is empty or inputs or outputs are missing */
    public ModelInfo build() {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a model needs a name");
        }
        if (inputs.isEmpty() || outputs.isEmpty()) {
            throw new IllegalArgumentException("model " + name + " needs at least one input and one output descriptor");
        }
        return new ModelInfo(name, platform, version, new HashMap<>(parameters), new ArrayList<>(inputs),
                new ArrayList<>(outputs));
    }
}

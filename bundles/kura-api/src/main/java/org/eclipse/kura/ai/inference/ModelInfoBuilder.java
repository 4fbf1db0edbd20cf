package org.eclipse.kura.ai.inference;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/** Builds a {@link ModelInfo}; at least one input and one output descriptor are required. */
@ProviderType
public class ModelInfoBuilder {

    private final String modelName;
    private String platform;
    private String version;
    private final Map<String, Object> parameters = new HashMap<>();
    private final List<TensorDescriptor> inputs = new ArrayList<>();
    private final List<TensorDescriptor> outputs = new ArrayList<>();

    private ModelInfoBuilder(String modelName) {
        this.modelName = modelName;
    }

    public static ModelInfoBuilder builder(String modelName) {
        return new ModelInfoBuilder(modelName);
    }

    public static ModelInfoBuilder fromModelInfo(ModelInfo info) {
        ModelInfoBuilder b = new ModelInfoBuilder(info.getName());
        info.getPlatform().ifPresent(b::platform);
        info.getVersion().ifPresent(b::version);
        b.parameters.putAll(info.getParameters());
        b.inputs.addAll(info.getInputs());
        b.outputs.addAll(info.getOutputs());
        return b;
    }

    public ModelInfoBuilder platform(String value) {
        this.platform = value;
        return this;
    }

    public ModelInfoBuilder version(String value) {
        this.version = value;
        return this;
    }

    public ModelInfoBuilder addParameter(String key, Object value) {
        parameters.put(key, value);
        return this;
    }

    public ModelInfoBuilder removeParameter(String key) {
        parameters.remove(key);
        return this;
    }

    public ModelInfoBuilder addInputDescriptor(TensorDescriptor d) {
        inputs.add(d);
        return this;
    }

    public ModelInfoBuilder removeInputDescriptor(TensorDescriptor d) {
        inputs.remove(d);
        return this;
    }

    public ModelInfoBuilder addOutputDescriptor(TensorDescriptor d) {
        outputs.add(d);
        return this;
    }

    public ModelInfoBuilder removeOutputDescriptor(TensorDescriptor d) {
        outputs.remove(d);
        return this;
    }

    public ModelInfo build() {
        if (inputs.isEmpty() || outputs.isEmpty()) {
            throw new IllegalArgumentException("a model needs at least one input and one output descriptor");
        }
        return new ModelInfo(modelName, platform, version, parameters, inputs, outputs);
    }
}

package org.eclipse.kura.ai.inference;

import java.util.List;
import java.util.Optional;
import org.eclipse.kura.KuraException;
import org.osgi.annotation.versioning.ProviderType;

/** An inference engine that Kura's AI wire component can drive: models by name, tensors in, tensors out. */
@ProviderType
public interface InferenceEngineService {

    /** Runs the named model (see {@link ModelInfo#getName()}) on the inputs; fails when it is not loaded. */
    List<Tensor> infer(ModelInfo modelInfo, List<Tensor> inputData) throws KuraException;

    /** Loads a model, from the given file path or, when absent, from the engine's own model store. */
    void loadModel(String modelName, Optional<String> modelPath) throws KuraException;

    void unloadModel(String modelName) throws KuraException;

    boolean isModelLoaded(String modelName) throws KuraException;

    List<String> getModelNames() throws KuraException;

    Optional<ModelInfo> getModelInfo(String modelName) throws KuraException;

    boolean isEngineReady() throws KuraException;
}

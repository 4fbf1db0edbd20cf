package io.edgetune.inference.internal;

import io.edgetune.api.model.ModelDescriptor;
import io.edgetune.api.model.ModelException;
import java.nio.file.Path;

/** What the registry asks of the detector. */
public interface ModelHost {

    /** Loads and smoke-tests the model in the directory, then unloads it. */
    void validate(ModelDescriptor descriptor, Path dir) throws ModelException;

    /** Loads and smoke-tests the model beside the running one, then swaps it in between two inferences. */
    void activate(ModelDescriptor descriptor, Path dir) throws ModelException;

    /** As {@link #activate(ModelDescriptor, Path)} for one camera only; a null camera is the default. */
    void activate(String camera, ModelDescriptor descriptor, Path dir) throws ModelException;

    /** The camera runs the default model again; its own is unloaded unless something else uses it. */
    void release(String camera);
}

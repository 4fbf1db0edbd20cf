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
}

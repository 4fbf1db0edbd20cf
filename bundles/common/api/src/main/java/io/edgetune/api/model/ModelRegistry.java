package io.edgetune.api.model;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/** Model versions on the gateway's disk: the active one and previous ones kept for rollback. */
@ProviderType
public interface ModelRegistry {

    List<ModelDescriptor> list();

    Optional<ModelDescriptor> active();

    /** Verifies (signature, SHA-256, loads and smoke-tests) and stores a model package; does not activate it. */
    ModelDescriptor install(Path modelPackage) throws ModelException;

    /** Hot-swaps the detector to this version. */
    ModelDescriptor activate(String version) throws ModelException;

    /** Returns to the previously active version. */
    ModelDescriptor rollback() throws ModelException;
}

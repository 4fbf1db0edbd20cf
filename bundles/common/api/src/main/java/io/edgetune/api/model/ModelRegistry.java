package io.edgetune.api.model;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Model versions on the gateway's disk: the active one and previous ones kept for rollback.
 *
 * <p>Per camera: a camera may have a model of its own (pinned with {@link #activate(String, String)});
 * a camera without one runs the gateway default, which the methods without a camera id read and change.
 * The per-camera methods are default methods so that a registry without per-camera models (one model for
 * every camera) still implements this interface; it refuses to pin.
 */
@ProviderType
public interface ModelRegistry {

    List<ModelDescriptor> list();

    /** The gateway default: the model of every camera without one of its own. */
    Optional<ModelDescriptor> active();

    /** Verifies (signature, SHA-256, loads and smoke-tests) and stores a model package; does not activate it. */
    ModelDescriptor install(Path modelPackage) throws ModelException;

    /** Hot-swaps the gateway default to this version (cameras with a model of their own keep it). */
    ModelDescriptor activate(String version) throws ModelException;

    /** Returns the gateway default to its previous version. */
    ModelDescriptor rollback() throws ModelException;

    /** The model a camera runs: its own when it has one, else the gateway default. */
    default Optional<ModelDescriptor> active(String cameraId) {
        return active();
    }

    /** Cameras with a model of their own: camera id to version (cameras running the default are not listed). */
    default Map<String, String> cameraModels() {
        return Map.of();
    }

    /**
     * Hot-swaps one camera to this version; the other cameras keep their models. A null camera id means the
     * gateway default, as {@link #activate(String)}.
     */
    default ModelDescriptor activate(String cameraId, String version) throws ModelException {
        if (cameraId == null) {
            return activate(version);
        }
        throw new ModelException("this model registry has no per-camera models");
    }

    /**
     * Returns one camera to the model it ran before its current one: its previous own model, or the gateway
     * default when it had none. A null camera id means the gateway default, as {@link #rollback()}.
     */
    default ModelDescriptor rollback(String cameraId) throws ModelException {
        if (cameraId == null) {
            return rollback();
        }
        throw new ModelException("this model registry has no per-camera models");
    }
}

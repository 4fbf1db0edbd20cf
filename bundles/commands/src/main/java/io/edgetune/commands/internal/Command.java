package io.edgetune.commands.internal;

/**
 * A parsed EDGETUNE-V1 request.
 *
 * @param cameraId     for camera resources and (optionally) samples/now, else null
 * @param version      for models/activate, else null
 * @param modelPackage for models/install: the package bytes, else null
 * @param activate     for models/install: activate right after installing
 */
public record Command(Kind kind, String cameraId, String version, byte[] modelPackage, boolean activate) {

    public enum Kind {
        STATUS, MODELS, MODEL_INSTALL, MODEL_ACTIVATE, MODEL_ROLLBACK, CAMERA_SNAPSHOT, CAMERA_RESET, SAMPLE_NOW
    }

    static Command of(Kind kind) {
        return new Command(kind, null, null, null, false);
    }
}

package io.edgetune.commands.internal;

/**
 * A parsed EDGETUNE-V1 request.
 *
 * @param cameraId     for camera resources and (optionally) samples/now and the model commands (install, commit,
 *                     activate, rollback: that camera's own model), else null
 * @param version      for models/activate, else null
 * @param modelPackage for models/install: the package bytes, else null
 * @param activate     for models/install and models/upload/{id}/commit: activate right after installing
 * @param transfer     for models/upload/..., models/install with a URL and models/operations/{id}, else null
 */
public record Command(Kind kind, String cameraId, String version, byte[] modelPackage, boolean activate, Transfer transfer) {

    public enum Kind {
        STATUS, MODELS, MODEL_INSTALL, MODEL_INSTALL_URL, MODEL_ACTIVATE, MODEL_ROLLBACK,
        MODEL_UPLOAD_CHUNK, MODEL_UPLOAD_STATUS, MODEL_UPLOAD_COMMIT, MODEL_UPLOAD_ABORT, MODEL_OPERATION_STATUS,
        CAMERA_SNAPSHOT, CAMERA_RESET, SAMPLE_NOW
    }

    /**
     * The parameters of a chunked upload or a URL download; fields that do not
     * apply to the request are null or -1.
     *
     * @param uploadId    the upload's id (models/upload/{id}/...) or the operation's (models/operations/{id})
     * @param offset      where the chunk belongs in the package
     * @param totalSize   size of the whole package in bytes
     * @param sha256      hex SHA-256 of the whole package
     * @param chunkSha256 hex SHA-256 of this chunk
     * @param chunk       the chunk bytes
     * @param url         http(s) address of the package (models/install with metric url)
     */
    public record Transfer(String uploadId, long offset, long totalSize, String sha256, String chunkSha256, byte[] chunk,
                           String url) {
    }

    public Command(Kind kind, String cameraId, String version, byte[] modelPackage, boolean activate) {
        this(kind, cameraId, version, modelPackage, activate, null);
    }

    static Command of(Kind kind) {
        return new Command(kind, null, null, null, false);
    }
}

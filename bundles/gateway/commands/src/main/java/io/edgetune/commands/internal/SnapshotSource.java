package io.edgetune.commands.internal;

/** Grabs the next frame of a camera. */
public interface SnapshotSource {

    /** The next frame of the camera, or null when none arrived within the timeout. */
    Snapshot next(String cameraId, long timeoutMillis) throws InterruptedException;
}

package io.edgetune.api.frame;

/**
 * Health of one camera, as shown in status messages and the console.
 *
 * @param framesGrabbed   frames decoded from the source
 * @param framesDropped   frames discarded because no buffer was free or the target rate was exceeded
 * @param fps             delivered frames per second over the last few seconds
 * @param reconnects      times the source was reopened after a fault
 */
public record CameraStatus(String cameraId, State state, String message, String source,
                           long framesGrabbed, long framesDelivered, long framesDropped,
                           double fps, int width, int height, long lastFrameMillis, long reconnects) {

    public enum State {
        /** Opening the source for the first time. */
        STARTING,
        /** Frames are flowing. */
        RUNNING,
        /** The source failed; waiting to retry (see message). */
        RECONNECTING,
        /** A finite source (file) reached its end. */
        ENDED,
        /** Disabled by configuration or stopped. */
        STOPPED
    }
}

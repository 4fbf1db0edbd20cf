package io.edgetune.capture.internal;

/** Opens the capture bundle's decoder for the exported io.edgetune.capture.decode package. */
public final class FrameSources {

    private FrameSources() {
    }

    /** The camera's FFmpeg decoder for a file or stream: its own size, every frame, as fast as it decodes. */
    public static FrameSource decoder(String location) {
        return new JavaCvFrameSource(CameraSettings.forTest("decoder", location));
    }
}

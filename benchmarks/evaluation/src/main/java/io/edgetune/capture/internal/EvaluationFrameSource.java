package io.edgetune.capture.internal;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The capture bundle's own decoder (FFmpeg through JavaCV, as a camera with a file source runs it), opened
 * for the evaluation harness on the plain class path. Lives in the capture package because the decoder is
 * package-private there; on the class path (no OSGi) that is allowed.
 */
public final class EvaluationFrameSource implements AutoCloseable {

    private final FrameSource source;

    /** A file or stream, decoded at its own size, every frame, as fast as possible. */
    public EvaluationFrameSource(String location) {
        this.source = new JavaCvFrameSource(CameraSettings.forTest("evaluation", location));
    }

    public void open() throws IOException {
        source.open();
    }

    /** Decodes the next image: true for an image, false at the end; corrupt images are skipped. */
    public boolean next() throws IOException {
        while (true) {
            FrameSource.Grab g = source.grab();
            if (g == FrameSource.Grab.IMAGE) {
                return true;
            }
            if (g == FrameSource.Grab.END) {
                return false;
            }
        }
    }

    public int width() {
        return source.width();
    }

    public int height() {
        return source.height();
    }

    public double frameRate() {
        return source.frameRate();
    }

    /** Copies the last image into a packed BGR buffer of width * height * 3 bytes. */
    public void copyTo(ByteBuffer dst) {
        source.copyTo(dst);
    }

    @Override
    public void close() {
        source.close();
    }
}

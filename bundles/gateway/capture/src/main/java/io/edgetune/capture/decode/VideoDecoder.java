package io.edgetune.capture.decode;

import io.edgetune.capture.internal.FrameSource;
import io.edgetune.capture.internal.FrameSources;
import java.io.IOException;
import java.nio.ByteBuffer;

/** Decodes a video file or stream frame by frame into packed BGR. Used by one thread at a time. */
public final class VideoDecoder implements AutoCloseable {

    private final FrameSource source;

    /** A file or stream, decoded at its own size, every frame, as fast as possible. */
    public VideoDecoder(String location) {
        this.source = FrameSources.decoder(location);
    }

    /** Opens the source; the exception's message says why it could not be opened. */
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

    /** Width of the image last decoded. */
    public int width() {
        return source.width();
    }

    /** Height of the image last decoded. */
    public int height() {
        return source.height();
    }

    /** Presentation time of the image last decoded, microseconds from the start of the source. */
    public long timestampMicros() {
        return source.timestampMicros();
    }

    /** The source's own frame rate, or 0 when unknown. */
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

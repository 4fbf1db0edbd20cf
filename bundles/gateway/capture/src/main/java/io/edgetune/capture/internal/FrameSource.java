package io.edgetune.capture.internal;

import java.io.IOException;
import java.nio.ByteBuffer;

/** A decoder for one source. Used by one thread at a time. */
public interface FrameSource extends AutoCloseable {

    /** Outcome of one {@link #grab()}. */
    enum Grab { IMAGE, END, CORRUPT }

    /** Opens the source; the message of the exception says why it could not be opened. */
    void open() throws IOException;

    /** Decodes the next image. END: the source has no more frames. CORRUPT: this image is unusable, the next may be fine. */
    Grab grab() throws IOException;

    /** Width of the image last grabbed (after decode scaling). */
    int width();

    int height();

    /** Presentation time of the image last grabbed, microseconds from the start of the source. */
    long timestampMicros();

    /** The source's own frame rate, or 0 when unknown. */
    double frameRate();

    /** Copies the image last grabbed into {@code dst} as tightly packed BGR, without allocating. */
    void copyTo(ByteBuffer dst);

    @Override
    void close();
}

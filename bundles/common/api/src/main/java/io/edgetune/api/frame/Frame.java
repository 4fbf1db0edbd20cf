package io.edgetune.api.frame;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One decoded video frame: 8-bit BGR pixels, row-major and tightly packed
 * (stride = width * 3), in a direct buffer so native code (OpenCV, TFLite)
 * reads it without a copy.
 *
 * <p>Frames are pooled and reference counted, so the hot loop allocates
 * nothing per frame. A listener that keeps a frame after its callback
 * returns must {@link #retain()} it and later {@link #release()} it; when the
 * last reference is released the buffer goes back to its pool.
 */
public final class Frame {

    /** Bytes per pixel (B, G, R). */
    public static final int CHANNELS = 3;

    private final ByteBuffer pixels;
    private final Consumer<Frame> recycler;
    private final AtomicInteger refs = new AtomicInteger();

    private String cameraId;
    private long sequence;
    private long timestampMillis;
    private long captureNanos;
    private int width;
    private int height;

    /**
     * @param pixels   a direct buffer large enough for the largest frame it will hold
     * @param recycler called once when the last reference is released (may be null)
     */
    public Frame(ByteBuffer pixels, Consumer<Frame> recycler) {
        if (!pixels.isDirect()) {
            throw new IllegalArgumentException("frame pixels must be a direct buffer");
        }
        this.pixels = pixels;
        this.recycler = recycler;
    }

    /** Producer side: describes the content just written into {@link #pixels()} and takes the first reference. */
    public Frame fill(String cameraId, long sequence, long timestampMillis, long captureNanos, int width, int height) {
        if ((long) width * height * CHANNELS > pixels.capacity()) {
            throw new IllegalArgumentException("frame " + width + "x" + height + " does not fit a buffer of " + pixels.capacity() + " bytes");
        }
        this.cameraId = cameraId;
        this.sequence = sequence;
        this.timestampMillis = timestampMillis;
        this.captureNanos = captureNanos;
        this.width = width;
        this.height = height;
        refs.set(1);
        return this;
    }

    /** Takes one more reference; fails if the frame was already recycled. */
    public Frame retain() {
        int n;
        do {
            n = refs.get();
            if (n <= 0) {
                throw new IllegalStateException("frame " + sequence + " of " + cameraId + " was already released");
            }
        } while (!refs.compareAndSet(n, n + 1));
        return this;
    }

    /** Drops one reference; the last one returns the buffer to its pool. */
    public void release() {
        int n = refs.decrementAndGet();
        if (n == 0) {
            if (recycler != null) {
                recycler.accept(this);
            }
        } else if (n < 0) {
            refs.set(0);
            throw new IllegalStateException("frame " + sequence + " of " + cameraId + " released more often than retained");
        }
    }

    public int refCount() {
        return refs.get();
    }

    /** The pixel buffer; position 0, {@code byteSize()} bytes of content. */
    public ByteBuffer pixels() {
        return pixels;
    }

    public int byteSize() {
        return width * height * CHANNELS;
    }

    public String cameraId() {
        return cameraId;
    }

    /** Sequence number given by the camera, counting every frame grabbed (gaps mean drops). */
    public long sequence() {
        return sequence;
    }

    /** Wall-clock time of capture, epoch milliseconds. */
    public long timestampMillis() {
        return timestampMillis;
    }

    /** {@link System#nanoTime()} when the frame left the grabber; for latency figures. */
    public long captureNanos() {
        return captureNanos;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    @Override
    public String toString() {
        return "Frame[" + cameraId + " #" + sequence + " " + width + "x" + height + "]";
    }
}

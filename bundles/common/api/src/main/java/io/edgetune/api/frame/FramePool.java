package io.edgetune.api.frame;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * A fixed set of frame buffers. {@link #acquire()} never blocks: when every
 * frame is still in use downstream it returns null and the producer drops
 * the frame it just grabbed (realtime over completeness).
 */
public final class FramePool {

    private final ArrayBlockingQueue<Frame> free;
    private final int frameBytes;

    public FramePool(int size, int maxWidth, int maxHeight) {
        if (size < 1) {
            throw new IllegalArgumentException("pool size must be at least 1");
        }
        this.frameBytes = maxWidth * maxHeight * Frame.CHANNELS;
        this.free = new ArrayBlockingQueue<>(size);
        for (int i = 0; i < size; i++) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(frameBytes).order(ByteOrder.nativeOrder());
            free.add(new Frame(buffer, free::offer));
        }
    }

    /** A free frame with no references yet (call {@link Frame#fill}), or null if all are in use. */
    public Frame acquire() {
        return free.poll();
    }

    /** Returns a frame that was acquired but never filled. */
    public void giveBack(Frame frame) {
        free.offer(frame);
    }

    public int available() {
        return free.size();
    }

    public int frameBytes() {
        return frameBytes;
    }
}

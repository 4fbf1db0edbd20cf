package io.edgetune.jmh;

import io.edgetune.api.frame.Frame;

/** Real frames a benchmark goes round and round, so no two consecutive operations see the same image. */
final class FrameCycle {

    private final Frame[] frames;
    private int next;

    /** Frames {@code first .. first+count-1} of the sample video (see {@link BenchAssets#frames}). */
    FrameCycle(int first, int count) throws Exception {
        this.frames = BenchAssets.frames(first, count);
    }

    Frame first() {
        return frames[0];
    }

    Frame[] all() {
        return frames;
    }

    Frame next() {
        Frame f = frames[next];
        next = next + 1 == frames.length ? 0 : next + 1;
        return f;
    }

    void release() {
        for (Frame f : frames) {
            f.release();
        }
    }
}

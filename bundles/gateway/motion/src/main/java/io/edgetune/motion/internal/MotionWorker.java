package io.edgetune.motion.internal;

import io.edgetune.motion.engine.MotionEngine;
import io.edgetune.api.frame.Frame;
import io.edgetune.api.motion.MotionResult;
import java.io.File;
import java.util.ArrayDeque;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one camera's motion engine on its own thread. {@link #submit} is
 * called on the capture thread and never blocks: it retains the frame and
 * queues it; a full queue drops (and releases) its oldest frame. Results go
 * to the publisher, then the frame is released.
 */
public final class MotionWorker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MotionWorker.class);
    private static final long JOIN_MILLIS = 5000;

    /** Where and how often debug PNGs are written; null turns them off. */
    public record Debug(File dir, int everyFrames, int maxFiles) {
    }

    private final String cameraId;
    private final MotionEngine engine;
    private final int capacity;
    private final Consumer<MotionResult> publisher;
    private final Debug debug;
    private final ArrayDeque<Frame> queue;
    private final Thread thread;

    private volatile boolean running = true;
    private volatile boolean resetRequested;
    private long processed;
    private long skipped;
    private long dropped;
    private long motionNanos;
    private int debugWritten;
    private MotionResult.State lastState;

    public MotionWorker(String cameraId, MotionEngine engine, int capacity, Consumer<MotionResult> publisher, Debug debug) {
        if (capacity < 1) {
            throw new IllegalArgumentException("queue capacity must be at least 1");
        }
        this.cameraId = cameraId;
        this.engine = engine;
        this.capacity = capacity;
        this.publisher = publisher;
        this.debug = debug;
        this.queue = new ArrayDeque<>(capacity);
        this.thread = new Thread(this::loop, "edgetune-motion-" + cameraId);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    public String cameraId() {
        return cameraId;
    }

    /** Queues a frame for motion; never blocks. */
    public void submit(Frame frame) {
        if (!running) {
            return;
        }
        frame.retain();
        Frame oldest = null;
        synchronized (queue) {
            if (queue.size() >= capacity) {
                oldest = queue.pollFirst();
                dropped++;
            }
            queue.addLast(frame);
            queue.notifyAll();
        }
        if (oldest != null) {
            oldest.release();
        }
    }

    /** The next frame starts a fresh background. */
    public void requestReset() {
        resetRequested = true;
    }

    /** Frames that needed no inference, over frames processed (0..1); 0 before the first frame. */
    public double skipRatio() {
        synchronized (queue) {
            return processed == 0 ? 0 : (double) skipped / processed;
        }
    }

    public long processed() {
        synchronized (queue) {
            return processed;
        }
    }

    public long dropped() {
        synchronized (queue) {
            return dropped;
        }
    }

    /** Mean motion time per processed frame, in nanoseconds. */
    public double meanMotionNanos() {
        synchronized (queue) {
            return processed == 0 ? 0 : (double) motionNanos / processed;
        }
    }

    private void loop() {
        while (true) {
            Frame frame;
            synchronized (queue) {
                while (queue.isEmpty() && running) {
                    try {
                        queue.wait();
                    } catch (InterruptedException e) {
                        // close() interrupts; re-check running
                    }
                }
                if (!running) {
                    return;
                }
                frame = queue.pollFirst();
            }
            try {
                if (resetRequested) {
                    resetRequested = false;
                    engine.reset();
                }
                MotionResult result = engine.process(frame);
                synchronized (queue) {
                    processed++;
                    motionNanos += result.motionNanos();
                    if (!result.needsInference()) {
                        skipped++;
                    }
                }
                publisher.accept(result);
                writeDebug(frame, result);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                LOG.warn("motion {}: processing {} failed", cameraId, frame, e);
            } finally {
                frame.release();
            }
        }
    }

    private void writeDebug(Frame frame, MotionResult result) {
        if (debug == null || debugWritten >= debug.maxFiles()) {
            return;
        }
        boolean stateChanged = result.state() != lastState;
        lastState = result.state();
        if (!stateChanged && processed % debug.everyFrames() != 0) {
            return;
        }
        try {
            File png = new File(debug.dir(), DebugSnapshots.fileName(cameraId, frame.sequence(), result.state()));
            DebugSnapshots.write(png, engine.wrap(frame), engine, result);
            if (++debugWritten == debug.maxFiles()) {
                LOG.info("motion {}: wrote {} debug snapshots to {}; no more until reconfigured", cameraId, debugWritten, debug.dir());
            }
        } catch (RuntimeException e) {
            debugWritten = debug.maxFiles();
            LOG.warn("motion {}: debug snapshots off: {}", cameraId, e.getMessage());
        }
    }

    /** Stops the thread (bounded wait) and releases queued frames. */
    @Override
    public void close() {
        running = false;
        synchronized (queue) {
            queue.notifyAll();
        }
        thread.interrupt();
        try {
            thread.join(JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (queue) {
            Frame f;
            while ((f = queue.pollFirst()) != null) {
                f.release();
            }
        }
        if (thread.isAlive()) {
            // still inside a listener: leave the native engine to the GC rather than free it under the thread
            LOG.warn("motion {}: worker did not stop within {} ms", cameraId, JOIN_MILLIS);
        } else {
            engine.close();
        }
    }
}

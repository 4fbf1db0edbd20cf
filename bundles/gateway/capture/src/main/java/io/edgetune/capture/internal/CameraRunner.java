package io.edgetune.capture.internal;

import io.edgetune.api.frame.CameraStatus;
import io.edgetune.api.frame.CameraStatus.State;
import io.edgetune.api.frame.Frame;
import io.edgetune.api.frame.FramePool;
import io.edgetune.capture.internal.CameraSettings.SourceKind;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one camera: a grabber thread decodes into pooled frames and hands each
 * to a dispatcher thread that calls the sink, so a slow consumer only costs
 * dropped frames, never a stalled decoder. Faults are retried with
 * exponential backoff. Plain Java so it is testable without OSGi.
 */
public final class CameraRunner {

    private static final Logger LOG = LoggerFactory.getLogger(CameraRunner.class);

    /** After this many unusable images in a row the source is reopened. */
    static final int MAX_CORRUPT_IN_A_ROW = 25;
    private static final long JOIN_MILLIS = 5000;

    private final CameraSettings settings;
    private final Function<CameraSettings, FrameSource> sources;
    private final Consumer<Frame> sink;
    private final Object lock = new Object();

    private volatile boolean running;
    private Thread grabThread;
    private Thread dispatchThread;
    private FramePool pool;

    // status, guarded by lock
    private State state = State.STOPPED;
    private String message = "not started";
    private long grabbed;
    private long delivered;
    private long dropped;
    private long corrupt;
    private long reconnects;
    private int width;
    private int height;
    private long lastFrameMillis;
    private long lastFrameNanos;
    private final long[] deliveryNanos = new long[16];
    private int deliveryCount;

    // hand-off slot between grabber and dispatcher, guarded by lock
    private Frame pending;

    private String lastLoggedFault;

    public CameraRunner(CameraSettings settings, Consumer<Frame> sink) {
        this(settings, JavaCvFrameSource::new, sink);
    }

    CameraRunner(CameraSettings settings, Function<CameraSettings, FrameSource> sources, Consumer<Frame> sink) {
        this.settings = settings;
        this.sources = sources;
        this.sink = sink;
    }

    public CameraSettings settings() {
        return settings;
    }

    /** Starts the threads and returns at once. */
    public void start() {
        synchronized (lock) {
            if (running) {
                return;
            }
            running = true;
            state = State.STARTING;
            message = "opening " + settings.displayLocation();
        }
        dispatchThread = new Thread(this::dispatchLoop, "edgetune-camera-" + settings.cameraId() + "-dispatch");
        dispatchThread.setDaemon(true);
        dispatchThread.start();
        grabThread = new Thread(this::grabLoop, "edgetune-camera-" + settings.cameraId());
        grabThread.setDaemon(true);
        grabThread.start();
    }

    /** Stops both threads, waiting a bounded time for each, and returns pending frames to the pool. */
    public void stop() {
        synchronized (lock) {
            running = false;
            lock.notifyAll();
        }
        joinQuietly(grabThread);
        joinQuietly(dispatchThread);
        synchronized (lock) {
            if (pending != null) {
                pending.release();
                pending = null;
            }
            if (state != State.ENDED) {
                state = State.STOPPED;
                message = "stopped";
            }
        }
    }

    private static void joinQuietly(Thread t) {
        if (t == null || t == Thread.currentThread()) {
            return;
        }
        t.interrupt();
        try {
            t.join(JOIN_MILLIS);
            if (t.isAlive()) {
                LOG.warn("{} did not stop within {} ms (blocked in the decoder); it ends when the source times out", t.getName(), JOIN_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public CameraStatus status() {
        synchronized (lock) {
            String msg = message;
            long now = System.nanoTime();
            if (state == State.RUNNING && lastFrameNanos != 0
                    && now - lastFrameNanos > TimeUnit.MILLISECONDS.toNanos(settings.grabTimeoutMillis())) {
                msg = "no frame for " + TimeUnit.NANOSECONDS.toMillis(now - lastFrameNanos) + " ms";
            }
            return new CameraStatus(settings.cameraId(), state, msg, settings.displayLocation(), grabbed, delivered,
                    dropped, fps(), width, height, lastFrameMillis, reconnects);
        }
    }

    /** Frames the decoder could not use (counted apart from drops). */
    public long corruptFrames() {
        synchronized (lock) {
            return corrupt;
        }
    }

    private double fps() {
        int n = Math.min(deliveryCount, deliveryNanos.length);
        if (n < 2) {
            return 0;
        }
        long newest = deliveryNanos[(deliveryCount - 1) % deliveryNanos.length];
        long oldest = deliveryNanos[(deliveryCount - n) % deliveryNanos.length];
        // a stalled source has no current rate
        if (System.nanoTime() - newest > TimeUnit.MILLISECONDS.toNanos(settings.grabTimeoutMillis())) {
            return 0;
        }
        return newest == oldest ? 0 : (n - 1) * 1e9 / (newest - oldest);
    }

    // ---------------------------------------------------------------- grabber

    private void grabLoop() {
        long backoff = settings.reconnectInitialMillis();
        boolean faulted = false;
        FrameSource source = sources.apply(settings);
        try {
            while (running) {
                try {
                    source.open();
                } catch (IOException | RuntimeException | LinkageError e) {
                    source.close();
                    backoff = fault(e instanceof IOException ? e.getMessage() : JavaCvFrameSource.reason(e), backoff);
                    faulted = true;
                    continue;
                }
                if (faulted) {
                    synchronized (lock) {
                        reconnects++;
                    }
                }
                String result = pump(source);
                source.close();
                if (result == null) {
                    // end of a file
                    if (settings.loop() && running) {
                        backoff = settings.reconnectInitialMillis();
                        faulted = false;
                        continue;
                    }
                    setState(State.ENDED, "end of " + settings.displayLocation());
                    LOG.info("camera {}: end of {}", settings.cameraId(), settings.displayLocation());
                    return;
                }
                if (!running) {
                    return;
                }
                // a source that delivered frames starts its backoff afresh
                if (result.startsWith("!")) {
                    result = result.substring(1);
                    backoff = settings.reconnectInitialMillis();
                }
                backoff = fault(result, backoff);
                faulted = true;
            }
        } finally {
            source.close();
        }
    }

    /**
     * Reads frames until the source ends or fails. Returns null at the end of
     * a file, otherwise the fault, prefixed with "!" if frames were delivered.
     */
    private String pump(FrameSource source) {
        boolean file = settings.kind() == SourceKind.FILE;
        boolean paced = file && settings.realtime();
        double sourceFps = source.frameRate();
        long frameMicros = sourceFps > 0 ? Math.round(1e6 / sourceFps) : 40_000;
        long periodNanos = settings.targetFps() > 0 ? Math.round(1e9 / settings.targetFps()) : 0;
        long nextDue = Long.MIN_VALUE;
        long paceBase = Long.MIN_VALUE;
        long lastMedia = -1;
        int corruptInARow = 0;
        boolean any = false;
        setState(State.RUNNING, "reading " + settings.displayLocation());
        while (running) {
            FrameSource.Grab g;
            try {
                g = source.grab();
            } catch (IOException | RuntimeException e) {
                g = FrameSource.Grab.CORRUPT;
                if (settings.kind() == SourceKind.NETWORK) {
                    return (any ? "!" : "") + (e instanceof IOException ? e.getMessage() : JavaCvFrameSource.reason(e));
                }
            }
            if (g == FrameSource.Grab.END) {
                if (file) {
                    return null;
                }
                return (any ? "!" : "") + "stream ended or stalled (nothing for " + settings.grabTimeoutMillis() + " ms)";
            }
            if (g == FrameSource.Grab.CORRUPT) {
                synchronized (lock) {
                    corrupt++;
                }
                if (++corruptInARow >= MAX_CORRUPT_IN_A_ROW) {
                    return (any ? "!" : "") + corruptInARow + " unusable frames in a row";
                }
                continue;
            }
            corruptInARow = 0;
            long sequence;
            synchronized (lock) {
                sequence = grabbed++;
            }
            // media clock: the source's timestamps when they advance, else the nominal frame period
            long ts = source.timestampMicros();
            long media = ts > lastMedia ? ts : lastMedia + frameMicros;
            lastMedia = media;
            if (paced) {
                long now = System.nanoTime();
                if (paceBase == Long.MIN_VALUE || now - (paceBase + media * 1000) > 1_000_000_000L) {
                    paceBase = now - media * 1000;
                }
                long wait = paceBase + media * 1000 - now;
                if (wait > 0 && !sleepNanos(wait)) {
                    return "stopped";
                }
            }
            if (periodNanos > 0) {
                long clock = file ? media * 1000 : System.nanoTime();
                if (nextDue != Long.MIN_VALUE && clock < nextDue - periodNanos / 10) {
                    countDrop();
                    continue;
                }
                nextDue = (nextDue == Long.MIN_VALUE || clock - nextDue > periodNanos) ? clock + periodNanos : nextDue + periodNanos;
            }
            Frame frame = acquire(source.width(), source.height());
            if (frame == null) {
                countDrop();
                continue;
            }
            source.copyTo(frame.pixels());
            frame.fill(settings.cameraId(), sequence, System.currentTimeMillis(), System.nanoTime(), source.width(), source.height());
            handOff(frame);
            any = true;
        }
        return "stopped";
    }

    private Frame acquire(int w, int h) {
        if (pool == null || (long) w * h * Frame.CHANNELS > pool.frameBytes()) {
            // frames still downstream go back to the old pool, which is then dropped
            pool = new FramePool(settings.poolSize(), w, h);
        }
        return pool.acquire();
    }

    private void handOff(Frame frame) {
        synchronized (lock) {
            if (pending != null) {
                // the dispatcher is still busy with listeners: newest frame wins
                pending.release();
                dropped++;
            }
            pending = frame;
            width = frame.width();
            height = frame.height();
            lastFrameMillis = frame.timestampMillis();
            lastFrameNanos = frame.captureNanos();
            lock.notifyAll();
        }
    }

    private void countDrop() {
        synchronized (lock) {
            dropped++;
        }
    }

    private long fault(String reason, long backoff) {
        if (!running) {
            return backoff;
        }
        if (!reason.equals(lastLoggedFault)) {
            LOG.warn("camera {}: {}; retrying with backoff from {} ms", settings.cameraId(), reason, backoff);
            lastLoggedFault = reason;
        } else {
            LOG.debug("camera {}: {} again; next retry in {} ms", settings.cameraId(), reason, backoff);
        }
        setState(State.RECONNECTING, reason + "; retry in " + backoff + " ms");
        sleepNanos(TimeUnit.MILLISECONDS.toNanos(backoff));
        return Math.min(backoff * 2, settings.reconnectMaxMillis());
    }

    /** Sleeps unless stopped; false if the camera was stopped meanwhile. */
    private boolean sleepNanos(long nanos) {
        long end = System.nanoTime() + nanos;
        synchronized (lock) {
            long left;
            while (running && (left = end - System.nanoTime()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                } catch (InterruptedException e) {
                    // stop() interrupts; the loop re-checks running
                    if (!running) {
                        break;
                    }
                }
            }
            return running;
        }
    }

    private void setState(State s, String msg) {
        synchronized (lock) {
            state = s;
            message = msg;
        }
    }

    // ------------------------------------------------------------- dispatcher

    private void dispatchLoop() {
        while (true) {
            Frame frame;
            synchronized (lock) {
                while (pending == null && running) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        // re-check running
                    }
                }
                if (pending == null) {
                    return;
                }
                frame = pending;
                pending = null;
            }
            try {
                sink.accept(frame);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                // a broken consumer must not end delivery for the others
                LOG.warn("camera {}: frame consumer failed on {}", settings.cameraId(), frame, e);
            } finally {
                frame.release();
            }
            synchronized (lock) {
                delivered++;
                deliveryNanos[deliveryCount % deliveryNanos.length] = System.nanoTime();
                deliveryCount++;
            }
        }
    }
}

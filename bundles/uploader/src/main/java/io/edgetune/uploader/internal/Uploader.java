package io.edgetune.uploader.internal;

import io.edgetune.api.detect.Detection;
import io.edgetune.api.detect.Detections;
import io.edgetune.api.detect.DetectorStatus;
import io.edgetune.api.frame.CameraStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.eclipse.kura.KuraException;
import org.eclipse.kura.cloudconnection.message.KuraMessage;
import org.eclipse.kura.cloudconnection.publisher.CloudPublisher;
import org.eclipse.kura.message.KuraPayload;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes detections on the detector's thread (no blocking: filter, rate
 * limit, bounded queue) and publishes them from its own thread, so a slow
 * publisher never stalls inference. Everything dropped is counted.
 */
public final class Uploader {

    private static final Logger LOG = LoggerFactory.getLogger(Uploader.class);

    /**
     * @param onlyWithDetections skip frames where nothing was detected
     * @param minScore           boxes below this score are left out; a frame with none left is skipped
     * @param maxPerSecond       detection messages per camera per second, on average
     * @param burst              messages a camera may send in a burst
     */
    public record Settings(boolean onlyWithDetections, float minScore, double maxPerSecond, int burst, int queueSize) {
        public Settings {
            if (maxPerSecond <= 0 || burst < 1 || queueSize < 1) {
                throw new IllegalArgumentException("max rate, burst and queue size must be positive");
            }
        }
    }

    /** Counters since start. */
    public record Stats(long received, long published, long skippedEmpty, long rateLimited, long queueFull,
                        long noPublisher, long failed) {
    }

    private final Settings settings;
    private final Supplier<CloudPublisher> publisher;
    private final ArrayBlockingQueue<Detections> queue;
    private final Map<String, RateLimiter> limiters = new ConcurrentHashMap<>();
    private final long startMillis = System.currentTimeMillis();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong skippedEmpty = new AtomicLong();
    private final AtomicLong rateLimited = new AtomicLong();
    private final AtomicLong queueFull = new AtomicLong();
    private final AtomicLong noPublisher = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile boolean running;
    private Thread worker;

    private final LongSupplier clock;

    public Uploader(Settings settings, Supplier<CloudPublisher> publisher) {
        this(settings, publisher, System::nanoTime);
    }

    /** @param clock nanosecond time source for the rate limiter */
    public Uploader(Settings settings, Supplier<CloudPublisher> publisher, LongSupplier clock) {
        this.settings = settings;
        this.publisher = publisher;
        this.clock = clock;
        this.queue = new ArrayBlockingQueue<>(settings.queueSize());
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        worker = new Thread(this::run, "edgetune-uploader");
        worker.setDaemon(true);
        worker.start();
    }

    public void stop(long timeoutMillis) {
        Thread t;
        synchronized (this) {
            running = false;
            t = worker;
            worker = null;
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(timeoutMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Detector thread: never blocks. */
    public void offer(Detections d) {
        received.incrementAndGet();
        Detections kept = filter(d);
        if (kept == null) {
            skippedEmpty.incrementAndGet();
            return;
        }
        RateLimiter limiter = limiters.computeIfAbsent(d.cameraId(), k -> new RateLimiter(settings.maxPerSecond(), settings.burst()));
        if (!limiter.tryAcquire(clock.getAsLong())) {
            rateLimited.incrementAndGet();
            return;
        }
        if (!queue.offer(kept)) {
            queueFull.incrementAndGet();
        }
    }

    private Detections filter(Detections d) {
        if (settings.minScore() <= 0) {
            return settings.onlyWithDetections() && d.detections().isEmpty() ? null : d;
        }
        List<Detection> strong = new ArrayList<>(d.detections().size());
        for (Detection x : d.detections()) {
            if (x.score() >= settings.minScore()) {
                strong.add(x);
            }
        }
        if (strong.isEmpty() && settings.onlyWithDetections()) {
            return null;
        }
        return strong.size() == d.detections().size() ? d : new Detections(d.cameraId(), d.frameSequence(),
                d.frameTimestampMillis(), d.captureNanos(), d.modelVersion(), d.backend(), d.mode(), d.regions(), strong,
                d.inferenceNanos(), d.totalNanos());
    }

    private void run() {
        while (running) {
            Detections d;
            try {
                d = queue.poll(500, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (d == null) {
                continue;
            }
            CloudPublisher p = publisher.get();
            if (p == null) {
                if (noPublisher.incrementAndGet() == 1) {
                    LOG.warn("No CloudPublisher matches the uploader's CloudPublisher.target; detections are dropped");
                }
                continue;
            }
            try {
                p.publish(new KuraMessage(DetectionMessages.payload(d), Map.of("camera.id", d.cameraId())));
                published.incrementAndGet();
            } catch (KuraException | RuntimeException e) {
                if (failed.incrementAndGet() % 100 == 1) {
                    LOG.warn("Publishing detections of {} failed ({} failures so far): {}", d.cameraId(), failed.get(), e.getMessage());
                }
            }
        }
    }

    public Stats stats() {
        return new Stats(received.get(), published.get(), skippedEmpty.get(), rateLimited.get(), queueFull.get(),
                noPublisher.get(), failed.get());
    }

    /** The periodic status message. */
    public KuraPayload statusPayload(Collection<CameraStatus> cameras, DetectorStatus detector) {
        KuraPayload p = new KuraPayload();
        p.setTimestamp(new Date());
        p.addMetric("uptime.s", (System.currentTimeMillis() - startMillis) / 1000);
        p.addMetric("cameras", cameras.size());
        int running = 0;
        double fps = 0;
        for (CameraStatus c : cameras) {
            if (c.state() == CameraStatus.State.RUNNING) {
                running++;
            }
            fps += c.fps();
            p.addMetric("camera." + c.cameraId() + ".state", c.state().name());
            p.addMetric("camera." + c.cameraId() + ".fps", c.fps());
        }
        p.addMetric("cameras.running", running);
        p.addMetric("fps.total", fps);
        if (detector != null) {
            p.addMetric("detector.backend", String.valueOf(detector.backend()));
            p.addMetric("detector.accelerator", String.valueOf(detector.accelerator()));
            p.addMetric("detector.model.version", String.valueOf(detector.modelVersion()));
            p.addMetric("detector.inferences", detector.inferences());
            p.addMetric("detector.dropped", detector.dropped());
            p.addMetric("detector.mean.inference.ms", detector.meanInferenceMillis());
        }
        Stats s = stats();
        p.addMetric("uploads.detections.received", s.received());
        p.addMetric("uploads.detections.published", s.published());
        p.addMetric("uploads.detections.rate.limited", s.rateLimited());
        p.addMetric("uploads.detections.queue.full", s.queueFull());
        p.addMetric("uploads.detections.failed", s.failed() + s.noPublisher());
        return p;
    }
}

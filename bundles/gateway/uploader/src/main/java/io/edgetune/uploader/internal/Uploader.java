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
     * @param heartbeatSeconds   a camera with no message for this long sends a heartbeat (0 = off)
     * @param aggregateSeconds   instead of one message per frame, one per camera per this many seconds
     *                           with counts per label (0 = off)
     */
    public record Settings(boolean onlyWithDetections, float minScore, double maxPerSecond, int burst, int queueSize,
                           double heartbeatSeconds, double aggregateSeconds) {
        public Settings {
            if (maxPerSecond <= 0 || burst < 1 || queueSize < 1) {
                throw new IllegalArgumentException("max rate, burst and queue size must be positive");
            }
            if (heartbeatSeconds < 0 || aggregateSeconds < 0) {
                throw new IllegalArgumentException("heartbeat and aggregation periods must not be negative");
            }
        }

        public Settings(boolean onlyWithDetections, float minScore, double maxPerSecond, int burst, int queueSize) {
            this(onlyWithDetections, minScore, maxPerSecond, burst, queueSize, 0, 0);
        }
    }

    /** A camera's silence: published as a heartbeat. */
    record Heartbeat(String cameraId, double silentSeconds, long framesSince, String modelVersion) {
    }

    /** One aggregation window of a camera: published with counts per label. */
    record Aggregate(String cameraId, long fromMillis, long toMillis, long frames, long framesWithDetections,
                     Map<String, Integer> counts, String modelVersion, String backend) {
    }

    /** Per camera: when it last sent, and the open aggregation window. Guarded by its monitor. */
    private static final class Track {
        long lastSentNanos;
        long framesSince;
        String modelVersion;
        String backend;
        long windowStartNanos;
        long windowFromMillis;
        long windowToMillis;
        long windowFrames;
        long windowFramesWithDetections;
        final Map<String, int[]> windowCounts = new java.util.LinkedHashMap<>();
    }

    /** Counters since start. */
    public record Stats(long received, long published, long skippedEmpty, long rateLimited, long queueFull,
                        long noPublisher, long failed, long heartbeats, long aggregates) {
    }

    private final Settings settings;
    private final Supplier<CloudPublisher> publisher;
    private final ArrayBlockingQueue<Object> queue;
    private final Map<String, Track> tracks = new ConcurrentHashMap<>();
    private volatile Supplier<Collection<String>> knownCameras = List::of;
    private final AtomicLong heartbeats = new AtomicLong();
    private final AtomicLong aggregates = new AtomicLong();
    private final Map<String, RateLimiter> limiters = new ConcurrentHashMap<>();
    private final long startMillis = System.currentTimeMillis();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong skippedEmpty = new AtomicLong();
    private final AtomicLong rateLimited = new AtomicLong();
    private final AtomicLong queueFull = new AtomicLong();
    private final AtomicLong noPublisher = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final WorkerThread worker = new WorkerThread("edgetune-uploader", this::run);

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

    public void start() {
        worker.start();
    }

    public void stop(long timeoutMillis) {
        worker.stop(timeoutMillis);
    }

    /** Cameras that get heartbeats even before their first detections (e.g. all configured cameras). */
    public void setKnownCameras(Supplier<Collection<String>> cameras) {
        this.knownCameras = cameras;
    }

    private Track track(String cameraId, long now) {
        Track t = tracks.get(cameraId);
        if (t == null) {
            t = tracks.computeIfAbsent(cameraId, k -> {
                Track n = new Track();
                n.lastSentNanos = now; // silence is counted from the first sight of the camera
                n.windowStartNanos = now;
                return n;
            });
        }
        return t;
    }

    /** Detector thread: never blocks. */
    public void offer(Detections d) {
        received.incrementAndGet();
        long now = clock.getAsLong();
        Track track = track(d.cameraId(), now);
        Detections kept = filter(d);
        synchronized (track) {
            track.framesSince++;
            track.modelVersion = d.modelVersion();
            track.backend = d.backend();
            if (settings.aggregateSeconds() > 0) {
                addToWindow(track, d, kept);
                return;
            }
        }
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
            return;
        }
        synchronized (track) {
            track.lastSentNanos = now;
            track.framesSince = 0;
        }
    }

    private static void addToWindow(Track t, Detections d, Detections kept) {
        if (t.windowFrames == 0) {
            t.windowFromMillis = d.frameTimestampMillis();
        }
        t.windowToMillis = d.frameTimestampMillis();
        t.windowFrames++;
        if (kept != null && !kept.detections().isEmpty()) {
            t.windowFramesWithDetections++;
            for (Detection x : kept.detections()) {
                t.windowCounts.computeIfAbsent(String.valueOf(x.label()), k -> new int[1])[0]++;
            }
        }
    }

    /**
     * Closes aggregation windows that are due and queues heartbeats for silent
     * cameras. Called by the worker about twice a second (and by tests).
     */
    public void tick() {
        long now = clock.getAsLong();
        for (String id : knownCameras.get()) {
            track(id, now);
        }
        for (Map.Entry<String, Track> e : tracks.entrySet()) {
            Track t = e.getValue();
            Object msg = null;
            synchronized (t) {
                if (settings.aggregateSeconds() > 0 && now - t.windowStartNanos >= settings.aggregateSeconds() * 1e9) {
                    if (t.windowFramesWithDetections > 0) {
                        Map<String, Integer> counts = new java.util.LinkedHashMap<>();
                        t.windowCounts.forEach((label, n) -> counts.put(label, n[0]));
                        msg = new Aggregate(e.getKey(), t.windowFromMillis, t.windowToMillis, t.windowFrames,
                                t.windowFramesWithDetections, counts, t.modelVersion, t.backend);
                    }
                    t.windowStartNanos = now;
                    t.windowFrames = 0;
                    t.windowFramesWithDetections = 0;
                    t.windowCounts.clear();
                }
                if (msg == null && settings.heartbeatSeconds() > 0
                        && now - t.lastSentNanos >= settings.heartbeatSeconds() * 1e9) {
                    msg = new Heartbeat(e.getKey(), (now - t.lastSentNanos) / 1e9, t.framesSince, t.modelVersion);
                }
                if (msg == null) {
                    continue;
                }
                if (!queue.offer(msg)) {
                    queueFull.incrementAndGet();
                    continue;
                }
                t.lastSentNanos = now;
                t.framesSince = 0;
            }
            (msg instanceof Heartbeat ? heartbeats : aggregates).incrementAndGet();
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
                d.inferenceNanos(), d.totalNanos(), d.build(), d.buildReason());
    }

    private void run() {
        long lastTick = clock.getAsLong();
        while (worker.running()) {
            Object m;
            try {
                m = queue.poll(500, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            long now = clock.getAsLong();
            if (now - lastTick >= 500_000_000L) {
                lastTick = now;
                tick();
            }
            if (m == null) {
                continue;
            }
            String cameraId;
            KuraPayload payload;
            if (m instanceof Detections d) {
                cameraId = d.cameraId();
                payload = DetectionMessages.payload(d);
            } else if (m instanceof Heartbeat h) {
                cameraId = h.cameraId();
                payload = DetectionMessages.heartbeat(h);
            } else {
                Aggregate a = (Aggregate) m;
                cameraId = a.cameraId();
                payload = DetectionMessages.aggregate(a, settings.aggregateSeconds());
            }
            CloudPublisher p = publisher.get();
            if (p == null) {
                if (noPublisher.incrementAndGet() == 1) {
                    LOG.warn("No CloudPublisher matches the uploader's CloudPublisher.target; detections are dropped");
                }
                continue;
            }
            try {
                p.publish(new KuraMessage(payload, Map.of("camera.id", cameraId)));
                published.incrementAndGet();
            } catch (KuraException | RuntimeException e) {
                if (failed.incrementAndGet() % 100 == 1) {
                    LOG.warn("Publishing detections of {} failed ({} failures so far): {}", cameraId, failed.get(), e.getMessage());
                }
            }
        }
    }

    public Stats stats() {
        return new Stats(received.get(), published.get(), skippedEmpty.get(), rateLimited.get(), queueFull.get(),
                noPublisher.get(), failed.get(), heartbeats.get(), aggregates.get());
    }

    /** The periodic status message. */
    public KuraPayload statusPayload(Collection<CameraStatus> cameras, DetectorStatus detector) {
        return statusPayload(cameras, detector, null, null, null, null);
    }

    /**
     * The periodic status message with everything known: per camera fps,
     * dropped frames, motion skip ratio and sampling counters; for the gateway
     * the detector (backend, model, queue), the uploader's own queues (the
     * CloudPublisher API exposes no outbox size) and the sampling counters.
     * Any of the optional sources may be null.
     */
    public KuraPayload statusPayload(Collection<CameraStatus> cameras, DetectorStatus detector,
                                     java.util.function.ToDoubleFunction<String> motionSkipRatio, PolicySampler sampler,
                                     SampleWorker sampleWorker, SampleTaker requests) {
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
            p.addMetric("camera." + c.cameraId() + ".frames.grabbed", c.framesGrabbed());
            p.addMetric("camera." + c.cameraId() + ".frames.dropped", c.framesDropped());
            if (motionSkipRatio != null) {
                double r = motionSkipRatio.applyAsDouble(c.cameraId());
                if (r >= 0) { // -1: unknown camera
                    p.addMetric("camera." + c.cameraId() + ".motion.skip.ratio", r);
                }
            }
            if (sampler != null) {
                long[] n = sampler.cameraCounters(c.cameraId());
                p.addMetric("camera." + c.cameraId() + ".samples.accepted", n[0]);
                p.addMetric("camera." + c.cameraId() + ".samples.refused.quota", n[1]);
                p.addMetric("camera." + c.cameraId() + ".samples.refused.budget", n[2]);
            }
        }
        p.addMetric("cameras.running", running);
        p.addMetric("fps.total", fps);
        if (detector != null) {
            p.addMetric("detector.backend", String.valueOf(detector.backend()));
            p.addMetric("detector.accelerator", String.valueOf(detector.accelerator()));
            if (detector.build() != null && !detector.build().isEmpty()) {
                p.addMetric("detector.build", detector.build());
                p.addMetric("detector.build.reason", String.valueOf(detector.buildReason()));
            }
            p.addMetric("detector.model.version", String.valueOf(detector.modelVersion()));
            p.addMetric("detector.inferences", detector.inferences());
            p.addMetric("detector.dropped", detector.dropped());
            p.addMetric("detector.mean.inference.ms", detector.meanInferenceMillis());
            p.addMetric("detector.queue.depth", detector.queueDepth());
        }
        Stats s = stats();
        p.addMetric("uploads.detections.received", s.received());
        p.addMetric("uploads.detections.published", s.published());
        p.addMetric("uploads.detections.rate.limited", s.rateLimited());
        p.addMetric("uploads.detections.queue.full", s.queueFull());
        p.addMetric("uploads.detections.failed", s.failed() + s.noPublisher());
        p.addMetric("uploads.detections.heartbeats", s.heartbeats());
        p.addMetric("uploads.detections.aggregates", s.aggregates());
        p.addMetric("uploads.detections.queue.depth", queue.size());
        int outbox = queue.size();
        if (sampler != null) {
            PolicySampler.Stats ss = sampler.stats();
            p.addMetric("samples.triggered", ss.triggered());
            p.addMetric("samples.accepted", ss.accepted());
            p.addMetric("samples.refused.quota", ss.refusedQuota());
            p.addMetric("samples.refused.budget", ss.refusedBudget());
            p.addMetric("samples.dropped.queue", ss.droppedQueue());
            for (int i = 0; i < ss.byReason().length; i++) {
                p.addMetric("samples.reason." + PolicySampler.REASON_NAMES[i], ss.byReason()[i]);
            }
            double budget = sampler.budgetAvailableBytes();
            if (!Double.isInfinite(budget)) {
                p.addMetric("samples.budget.available.bytes", (long) budget);
            }
        }
        if (sampleWorker != null) {
            p.addMetric("samples.published", sampleWorker.published());
            p.addMetric("samples.failed", sampleWorker.failed());
            p.addMetric("samples.bytes", sampleWorker.bytes());
            p.addMetric("samples.queue.depth", sampleWorker.queueDepth());
            outbox += sampleWorker.queueDepth();
        }
        if (requests != null) {
            p.addMetric("samples.requested.published", requests.published());
            p.addMetric("samples.requested.dropped", requests.dropped());
        }
        p.addMetric("uploads.queue.depth", outbox);
        return p;
    }
}

package io.edgetune.uploader.internal;

import io.edgetune.api.detect.Detection;
import io.edgetune.api.detect.Detections;
import io.edgetune.api.frame.Frame;
import io.edgetune.api.motion.MotionResult;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * Chooses frames for the annotator. Runs on the detector's thread: the
 * policies (interval, novelty, uncertainty, rare class, motion start) are
 * evaluated per camera, then the per-camera hourly quota and the gateway-wide
 * byte budget decide; an accepted frame is retained and handed to the
 * {@link SampleWorker}, which encodes and publishes it. Nothing here blocks,
 * and unless novelty is enabled (histograms on a small copy) or a sample is
 * taken, nothing allocates.
 */
public final class PolicySampler {

    public static final int INTERVAL = 1;
    public static final int NOVELTY = 2;
    public static final int UNCERTAINTY = 4;
    public static final int RARE = 8;
    public static final int MOTION = 16;
    public static final int TRACK = 32;
    static final String[] REASON_NAMES = {"interval", "novelty", "uncertainty", "rare", "motion", "track"};

    /**
     * @param intervalSeconds      sample at least this often (0 = off)
     * @param noveltyThreshold     sample when the distance to every kept sample exceeds this (0 = off)
     * @param noveltyHistory       K: how many recent samples of the camera the frame is compared with
     * @param uncertainLow         a detection scoring in [low, high] triggers a sample (low >= high = off)
     * @param uncertainHigh        see uncertainLow
     * @param rarePercent          a class below this share of the camera's detections is rare (0 = off)
     * @param rareMinDetections    the share rule applies only after this many detections on the camera
     * @param rareLabels           labels that are always rare
     * @param motionStaticSeconds  a motion episode after at least this long static triggers a sample (-1 = off)
     * @param perCameraPerHour     quota per camera (0 = unlimited)
     * @param bytesPerHour         gateway-wide budget (0 = unlimited)
     * @param burstBytes           budget bucket size
     * @param initialEstimateBytes size assumed for a camera's first JPEG
     */
    public record Settings(double intervalSeconds, double noveltyThreshold, int noveltyHistory, float uncertainLow,
                           float uncertainHigh, double rarePercent, int rareMinDetections, Set<String> rareLabels,
                           double motionStaticSeconds, int perCameraPerHour, long bytesPerHour, long burstBytes,
                           long initialEstimateBytes) {

        public boolean anyPolicy() {
            return intervalSeconds > 0 || noveltyThreshold > 0 || uncertainLow < uncertainHigh || rarePercent > 0
                    || !rareLabels.isEmpty() || motionStaticSeconds >= 0;
        }
    }

    /** Counters since start. */
    public record Stats(long triggered, long accepted, long refusedQuota, long refusedBudget, long droppedQueue,
                        long[] byReason) {
    }

    /** Per camera state, guarded by its own monitor (the detector and motion threads meet here). */
    final class Camera {
        final String id;
        final HourlyQuota quota;
        final FrameHistograms histograms;
        final Map<String, long[]> classCounts = new HashMap<>();
        long totalDetections;
        long lastSampleMillis = Long.MIN_VALUE;
        boolean inMotion;
        long staticSinceMillis = Long.MIN_VALUE;
        boolean motionStartPending;
        boolean newTrackPending;
        volatile long estimateBytes;
        final AtomicLongArray counters = new AtomicLongArray(3); // accepted, refused quota, refused budget

        Camera(String id) {
            this.id = id;
            this.quota = new HourlyQuota(settings.perCameraPerHour());
            this.histograms = settings.noveltyThreshold() > 0 ? new FrameHistograms(Math.max(1, settings.noveltyHistory())) : null;
            this.estimateBytes = settings.initialEstimateBytes();
        }

        /** The worker reports the real JPEG size: settle the budget and track the camera's typical size. */
        void encoded(long reservedBytes, long actualBytes) {
            budget.settle(reservedBytes - actualBytes);
            estimateBytes = (3 * estimateBytes + actualBytes) / 4;
        }

        void notSent(long reservedBytes) {
            budget.settle(reservedBytes);
        }
    }

    private final Settings settings;
    private final ByteBudget budget;
    private final SampleWorker worker;
    private final LongSupplier clockMillis;
    private final Map<String, Camera> cameras = new ConcurrentHashMap<>();
    private final AtomicLongArray reasons = new AtomicLongArray(REASON_NAMES.length);
    private final AtomicLongArray totals = new AtomicLongArray(5);

    public PolicySampler(Settings settings, SampleWorker worker, LongSupplier clockMillis) {
        this.settings = settings;
        this.worker = worker;
        this.clockMillis = clockMillis;
        this.budget = new ByteBudget(settings.bytesPerHour(), settings.burstBytes());
    }

    public Settings settings() {
        return settings;
    }

    private Camera camera(String id) {
        return cameras.computeIfAbsent(id, Camera::new);
    }

    /**
     * Tracker's thread (the detector's): a new object was confirmed on the camera; the camera's next
     * detections carry the reason {@code track}. Called only when the {@code track} policy is on.
     */
    public void onNewTrack(String cameraId) {
        Camera c = camera(cameraId);
        synchronized (c) {
            c.newTrackPending = true;
        }
    }

    /** Motion stage's thread: notes the start of a motion episode after a static period. */
    public void onMotion(MotionResult r) {
        if (settings.motionStaticSeconds() < 0) {
            return;
        }
        Camera c = camera(r.frame().cameraId());
        long now = clockMillis.getAsLong();
        synchronized (c) {
            if (r.state() == MotionResult.State.MOTION) {
                if (!c.inMotion && c.staticSinceMillis != Long.MIN_VALUE
                        && now - c.staticSinceMillis >= settings.motionStaticSeconds() * 1000) {
                    c.motionStartPending = true; // taken by the next detections of this camera
                }
                c.inMotion = true;
            } else if (r.state() == MotionResult.State.STATIC) {
                if (c.inMotion || c.staticSinceMillis == Long.MIN_VALUE) {
                    c.staticSinceMillis = now;
                }
                c.inMotion = false;
            }
        }
    }

    /**
     * Detector's thread. Returns the reasons bit set of the sample taken (0 when
     * none was); the frame is retained only when a sample is queued.
     */
    public int onDetections(Detections d, Frame frame) {
        Camera c = camera(d.cameraId());
        long now = clockMillis.getAsLong();
        synchronized (c) {
            int why = 0;
            if (settings.intervalSeconds() > 0 && (c.lastSampleMillis == Long.MIN_VALUE
                    || now - c.lastSampleMillis >= settings.intervalSeconds() * 1000)) {
                why |= INTERVAL;
            }
            if (settings.uncertainLow() < settings.uncertainHigh()) {
                List<Detection> found = d.detections();
                for (int i = 0; i < found.size(); i++) { // indexed: no iterator per frame
                    float score = found.get(i).score();
                    if (score >= settings.uncertainLow() && score <= settings.uncertainHigh()) {
                        why |= UNCERTAINTY;
                        break;
                    }
                }
            }
            if (rare(c, d)) {
                why |= RARE;
            }
            if (c.motionStartPending) {
                c.motionStartPending = false;
                why |= MOTION;
            }
            if (c.newTrackPending) {
                c.newTrackPending = false;
                why |= TRACK;
            }
            double novelty = Double.NaN;
            boolean quotaLeft = c.quota.available(now);
            if (c.histograms != null && quotaLeft) {
                c.histograms.compute(frame);
                novelty = c.histograms.minDistance();
                if (novelty > settings.noveltyThreshold()) {
                    why |= NOVELTY;
                }
            }
            if (why == 0) {
                return 0;
            }
            totals.incrementAndGet(0);
            for (int i = 0; i < REASON_NAMES.length; i++) {
                if ((why & (1 << i)) != 0) {
                    reasons.incrementAndGet(i);
                }
            }
            if (!quotaLeft) {
                totals.incrementAndGet(2);
                c.counters.incrementAndGet(1);
                return 0;
            }
            long estimate = c.estimateBytes;
            if (!budget.tryReserve(estimate, now)) {
                totals.incrementAndGet(3);
                c.counters.incrementAndGet(2);
                return 0;
            }
            frame.retain();
            if (!worker.offer(new SampleWorker.Job(frame, d, why, novelty, estimate, c))) {
                frame.release();
                budget.settle(estimate);
                totals.incrementAndGet(4);
                return 0;
            }
            c.quota.record(now);
            c.lastSampleMillis = now;
            if (c.histograms != null) {
                c.histograms.remember();
            }
            totals.incrementAndGet(1);
            c.counters.incrementAndGet(0);
            return why;
        }
    }

    /** Rare-class check against the counts so far, then counts this frame's detections. */
    private boolean rare(Camera c, Detections d) {
        if (settings.rarePercent() <= 0 && settings.rareLabels().isEmpty()) {
            return false;
        }
        boolean rare = false;
        List<Detection> found = d.detections();
        for (int i = 0; i < found.size(); i++) {
            Detection x = found.get(i);
            String label = String.valueOf(x.label());
            if (settings.rareLabels().contains(label)) {
                rare = true;
            } else if (settings.rarePercent() > 0 && c.totalDetections >= settings.rareMinDetections()) {
                long[] n = c.classCounts.get(label);
                long seen = n == null ? 0 : n[0];
                if (seen * 100.0 < settings.rarePercent() * c.totalDetections) {
                    rare = true;
                }
            }
        }
        for (int i = 0; i < found.size(); i++) {
            c.classCounts.computeIfAbsent(String.valueOf(found.get(i).label()), k -> new long[1])[0]++;
            c.totalDetections++;
        }
        return rare;
    }

    public static String reasonNames(int why) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < REASON_NAMES.length; i++) {
            if ((why & (1 << i)) != 0) {
                if (sb.length() > 0) {
                    sb.append(',');
                }
                sb.append(REASON_NAMES[i]);
            }
        }
        return sb.toString();
    }

    public Stats stats() {
        long[] by = new long[REASON_NAMES.length];
        for (int i = 0; i < by.length; i++) {
            by[i] = reasons.get(i);
        }
        return new Stats(totals.get(0), totals.get(1), totals.get(2), totals.get(3), totals.get(4), by);
    }

    /** accepted, refused by quota, refused by budget for one camera (zeros when unknown). */
    public long[] cameraCounters(String cameraId) {
        Camera c = cameras.get(cameraId);
        return c == null ? new long[3] : new long[] {c.counters.get(0), c.counters.get(1), c.counters.get(2)};
    }

    public double budgetAvailableBytes() {
        return budget.available();
    }
}

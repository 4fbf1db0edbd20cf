package io.edgetune.liveview.internal;

import io.edgetune.api.detect.Detection;
import io.edgetune.api.detect.Detections;
import io.edgetune.api.frame.Frame;
import io.edgetune.api.track.Track;
import io.edgetune.api.track.TrackEvent;
import io.edgetune.api.track.TrackedFrame;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the page shows, per camera: the latest pictures and events. A camera's frame is encoded only
 * while someone watches it (a page asked for it within the last {@link #watchNanos}) and at most once
 * per refresh interval; otherwise a frame costs one map lookup and a clock read. Encoding runs on one
 * worker thread of its own (the frame is retained meanwhile), never on the tracker's or detector's.
 *
 * <p>Boxes come from the tracker when it runs for the camera (ids, states, zones); without a tracker
 * the detector's boxes are shown, so the page is useful on a gateway without the tracker bundle.
 */
final class LiveFeed {

    private static final Logger LOG = LoggerFactory.getLogger(LiveFeed.class);
    /** Detections are ignored for a camera that had tracks this recently. */
    private static final long TRACKER_PRECEDENCE_NANOS = TimeUnit.SECONDS.toNanos(3);
    /** Plain frames (no boxes) are shown only for a camera that had no tracks or detections this recently (a still scene). */
    private static final long BOXES_PRECEDENCE_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Pictures kept per camera, so that the picture a page was told about is still there when it asks for it. */
    private static final int PICTURES_KEPT = 4;

    private final LiveViewSettings settings;
    private final long refreshNanos;
    private final long watchNanos;
    private final ConcurrentHashMap<String, CameraFeed> cameras = new ConcurrentHashMap<>();
    private final ThreadPoolExecutor encoder;
    private final AtomicLong encoded = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();

    private final LongSupplier clock;

    LiveFeed(LiveViewSettings settings) {
        this(settings, System::nanoTime);
    }

    /** @param clock nanoseconds, as System.nanoTime (tests step it by hand) */
    LiveFeed(LiveViewSettings settings, LongSupplier clock) {
        this.settings = settings;
        this.clock = clock;
        this.refreshNanos = TimeUnit.MILLISECONDS.toNanos(settings.refreshMillis());
        // a page polls at the refresh rate; a few missed polls (a slow browser) keep the camera watched
        this.watchNanos = Math.max(TimeUnit.SECONDS.toNanos(5), 8 * refreshNanos);
        // one encoding per camera at a time (see CameraFeed.busy), so a queue of 16 holds up to 16 cameras
        this.encoder = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(16), r -> {
            Thread t = new Thread(r, "edgetune-liveview-jpeg");
            t.setDaemon(true);
            return t;
        });
    }

    void close() {
        encoder.shutdownNow();
    }

    /** A tracker's frame: drawn with its tracks. */
    void onTracks(TrackedFrame tracked, Frame frame) {
        CameraFeed feed = feed(tracked.cameraId());
        long now = clock.getAsLong();
        feed.lastTracksNanos = now;
        feed.lastBoxesNanos = now;
        if (!feed.due(now)) {
            return;
        }
        List<Picture.Box> boxes = new ArrayList<>(tracked.tracks().size());
        for (Track t : tracked.tracks()) {
            boxes.add(new Picture.Box(t.trackId(), t.label(), t.score(), t.x(), t.y(), t.width(), t.height(), t.state().name(),
                    t.zones() == null ? List.of() : List.copyOf(t.zones())));
        }
        submit(feed, frame, "tracks", boxes, tracked.zoneCounts() == null ? Map.of() : tracked.zoneCounts());
    }

    /** A detector's frame: drawn with its detections unless the tracker feeds this camera. */
    void onDetections(Detections detections, Frame frame) {
        CameraFeed feed = feed(detections.cameraId());
        long now = clock.getAsLong();
        feed.lastBoxesNanos = now;
        if (now - feed.lastTracksNanos < TRACKER_PRECEDENCE_NANOS || !feed.due(now)) {
            return;
        }
        List<Picture.Box> boxes = new ArrayList<>(detections.detections().size());
        for (Detection d : detections.detections()) {
            boxes.add(new Picture.Box(-1, d.label(), d.score(), d.x(), d.y(), d.width(), d.height(), "", List.of()));
        }
        submit(feed, frame, "detections", boxes, Map.of());
    }

    /** Any camera's frame: shown without boxes while neither tracker nor detector has anything for it (a still scene). */
    void onFrame(Frame frame) {
        CameraFeed feed = feed(frame.cameraId());
        long now = clock.getAsLong();
        if (now - feed.lastBoxesNanos < BOXES_PRECEDENCE_NANOS || !feed.due(now)) {
            return;
        }
        submit(feed, frame, "frames", List.of(), Map.of());
    }

    void onEvent(TrackEvent event) {
        feed(event.cameraId()).addEvent(event, settings.eventsMax());
    }

    /** Marks the camera as watched; false when nothing is known of it (no frame, no event). */
    boolean watch(String cameraId) {
        CameraFeed feed = cameras.get(cameraId);
        if (feed == null) {
            return false;
        }
        feed.watchedUntilNanos = clock.getAsLong() + watchNanos;
        return true;
    }

    boolean knows(String cameraId) {
        return cameras.containsKey(cameraId);
    }

    Set<String> cameraIds() {
        return cameras.keySet();
    }

    /** The newest picture of the camera, or null. */
    Picture latest(String cameraId) {
        CameraFeed feed = cameras.get(cameraId);
        return feed == null ? null : feed.picture(-1);
    }

    /** The picture of that frame if still kept, else the newest (or null). */
    Picture picture(String cameraId, long sequence) {
        CameraFeed feed = cameras.get(cameraId);
        return feed == null ? null : feed.picture(sequence);
    }

    List<Event> events(String cameraId) {
        CameraFeed feed = cameras.get(cameraId);
        return feed == null ? List.of() : feed.events();
    }

    long encodedCount() {
        return encoded.get();
    }

    long skippedCount() {
        return skipped.get();
    }

    private CameraFeed feed(String cameraId) {
        return cameras.computeIfAbsent(cameraId, id -> new CameraFeed());
    }

    private void submit(CameraFeed feed, Frame frame, String source, List<Picture.Box> boxes,
                        Map<String, Map<String, Integer>> zoneCounts) {
        frame.retain();
        String camera = frame.cameraId();
        long seq = frame.sequence();
        long ts = frame.timestampMillis();
        int w = frame.width();
        int h = frame.height();
        try {
            encoder.execute(() -> {
                try {
                    byte[] jpeg = JpegFrames.encode(frame, settings.jpegMaxWidth(), settings.jpegQuality());
                    feed.add(new Picture(camera, seq, ts, w, h, jpeg, source, List.copyOf(boxes), zoneCounts));
                    encoded.incrementAndGet();
                } catch (RuntimeException e) {
                    LOG.warn("live view: picture of {} not encoded: {}", camera, e.toString());
                } finally {
                    frame.release();
                    feed.busy.set(false);
                }
            });
        } catch (RejectedExecutionException e) {
            frame.release();
            feed.busy.set(false);
            skipped.incrementAndGet();
        }
    }

    /** An event as the page lists it; {@code id} addresses its snapshot. */
    record Event(long id, TrackEvent event) {
    }

    private final class CameraFeed {
        // nanoTime values only compare by difference: start everything an hour in the past (not watched, nothing seen)
        private final long longAgo = clock.getAsLong() - TimeUnit.HOURS.toNanos(1);
        volatile long watchedUntilNanos = longAgo;
        volatile long lastTracksNanos = longAgo;
        volatile long lastBoxesNanos = longAgo;
        final AtomicBoolean busy = new AtomicBoolean();
        private long lastPictureNanos = longAgo;
        private final ArrayDeque<Picture> pictures = new ArrayDeque<>(PICTURES_KEPT);
        private final ArrayDeque<Event> events = new ArrayDeque<>();
        private long nextEventId = 1;

        /** Watched, refresh interval over and no encoding of this camera in flight; claims the slot when true. */
        boolean due(long now) {
            if (now - watchedUntilNanos >= 0) {
                return false;
            }
            synchronized (this) {
                if (now - lastPictureNanos < refreshNanos || !busy.compareAndSet(false, true)) {
                    return false;
                }
                lastPictureNanos = now;
                return true;
            }
        }

        synchronized void add(Picture p) {
            if (pictures.size() == PICTURES_KEPT) {
                pictures.removeFirst();
            }
            pictures.addLast(p);
        }

        synchronized Picture picture(long sequence) {
            if (sequence >= 0) {
                for (Iterator<Picture> it = pictures.descendingIterator(); it.hasNext(); ) {
                    Picture p = it.next();
                    if (p.sequence() == sequence) {
                        return p;
                    }
                }
            }
            return pictures.peekLast();
        }

        synchronized void addEvent(TrackEvent e, int max) {
            events.addFirst(new Event(nextEventId++, e));
            while (events.size() > max) {
                events.removeLast();
            }
        }

        synchronized List<Event> events() {
            return List.copyOf(events);
        }
    }
}

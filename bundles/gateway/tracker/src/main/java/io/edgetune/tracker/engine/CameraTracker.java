package io.edgetune.tracker.engine;

import io.edgetune.api.detect.Detection;
import io.edgetune.api.detect.Detections;
import io.edgetune.api.frame.Frame;
import io.edgetune.api.motion.Region;
import io.edgetune.api.track.Track;
import io.edgetune.api.track.TrackEvent;
import io.edgetune.api.track.TrackedFrame;
import io.edgetune.api.track.Zone;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The tracker of one camera, in the SORT/ByteTrack family: every track's box
 * is predicted with a constant-velocity Kalman filter ({@link KalmanBox}),
 * then detections are matched to predictions by IoU, greedily from the best
 * pair down and only within one class, in three stages: confident detections
 * to confirmed tracks (LOST ones included, so they come back with their id),
 * unsure detections to the confirmed tracks still unmatched (they extend a
 * track but never start one), and the remaining confident detections to
 * tentative tracks. A confident detection left over starts a tentative track;
 * {@code confirmHits} matches confirm it (START).
 *
 * <p>Motion gating decides what "not detected" means. In region mode the
 * detector only looked inside the motion regions: a track whose box the
 * regions do not cover was not looked at, so it keeps its box (the prediction
 * is undone) and no miss is counted. That is what keeps a parked car or a
 * person standing still alive without fresh detections. A track the detector
 * looked at and did not find counts a miss; {@code lostAfterMisses} in a row
 * make it LOST, and a LOST track ends (LEAVE for its zones, then END with its
 * best crop) {@code endAfterMillis} after it was last seen
 * ({@code stationaryEndAfterMillis} when it was stationary). A track nobody
 * looks at for {@code stationaryAfterMillis} becomes STATIONARY: as far as
 * motion can tell, it has not moved.
 *
 * <p>Not thread-safe: one thread at a time per camera (the component
 * synchronises). Time is the frames' capture time; an earlier time than the
 * last one seen counts as no time passing.
 */
public final class CameraTracker {

    private final String cameraId;
    private final TrackerSettings s;
    private final SnapshotEncoder encoder;
    private final List<Zone> zones;
    private final List<T> tracks = new ArrayList<>();
    private long nextId = 1;
    private long now = Long.MIN_VALUE;
    // scratch for association, grown when needed
    private float[] pairIou = new float[64];
    private int[] pairTrack = new int[64];
    private int[] pairDet = new int[64];
    private Integer[] order = new Integer[64];
    private boolean[] detUsed = new boolean[16];

    /**
     * @param encoder makes the best crops; null keeps none
     */
    public CameraTracker(String cameraId, TrackerSettings settings, List<Zone> zones, SnapshotEncoder encoder) {
        this.cameraId = cameraId;
        this.s = settings;
        this.zones = List.copyOf(zones);
        this.encoder = encoder;
    }

    public String cameraId() {
        return cameraId;
    }

    public List<Zone> zones() {
        return zones;
    }

    /** Live tracks, tentative ones included. */
    public int size() {
        return tracks.size();
    }

    /**
     * One frame's detections.
     *
     * @param frame  the frame the detections came from, for best crops (null: no crops)
     * @param events receives the events this frame causes, in order
     */
    public TrackedFrame update(Detections d, Frame frame, Consumer<TrackEvent> events) {
        long t = d.frameTimestampMillis();
        double dt = now == Long.MIN_VALUE ? 0 : Math.min(1.0, Math.max(0, t - now) / 1000.0);
        now = Math.max(now, t);
        for (T tr : tracks) {
            tr.matchedNow = false;
            tr.coasting = false;
            tr.kf.predict(dt);
        }
        List<Detection> dets = d.detections();
        int nd = dets.size();
        if (detUsed.length < nd) {
            detUsed = new boolean[Math.max(nd, detUsed.length * 2)];
        }
        Arrays.fill(detUsed, 0, nd, false);
        if (!s.labels().isEmpty()) {
            for (int i = 0; i < nd; i++) {
                detUsed[i] = !s.tracks(dets.get(i).label()); // untracked labels take part in nothing
            }
        }
        // stage 1: confident detections to confirmed tracks
        associate(dets, true, false, s.matchIou(), frame, events);
        // stage 2: unsure detections to confirmed tracks that are not lost
        if (s.lowScore() < s.highScore()) {
            associate(dets, false, false, Math.max(s.matchIou(), 0.5f), frame, events);
        }
        // stage 3: confident detections to tentative tracks
        associate(dets, true, true, s.matchIou(), frame, events);
        for (int i = 0; i < nd; i++) {
            Detection det = dets.get(i);
            if (!detUsed[i] && det.score() >= s.highScore() && s.tracks(det.label())) {
                T tr = new T(nextId++, det, now);
                tracks.add(tr);
                if (s.confirmHits() <= 1) {
                    confirm(tr, frame, det, events);
                }
            }
        }
        boolean fullFrame = d.mode() == Detections.Mode.FULL_FRAME;
        for (Iterator<T> it = tracks.iterator(); it.hasNext(); ) {
            T tr = it.next();
            if (tr.matchedNow) {
                continue;
            }
            boolean looked = fullFrame || covered(tr, d.regions());
            if (!looked) {
                // the detector did not look here: nothing moved, so the object is where it was
                tr.kf.restore();
                tr.kf.stop();
                // unmoved for long enough, as far as motion can tell: stationary
                if (tr.state == Track.State.ACTIVE && now - tr.anchorTime >= s.stationaryAfterMillis()) {
                    tr.state = Track.State.STATIONARY;
                    events.accept(event(TrackEvent.Type.STATIONARY, tr, null, now - tr.firstSeen, null));
                }
            } else {
                tr.misses++;
                tr.coasting = true;
                if (!tr.confirmed) {
                    it.remove();
                    continue;
                }
                if (tr.misses >= s.lostAfterMisses() && tr.state != Track.State.LOST) {
                    tr.stationaryWhenLost = tr.state == Track.State.STATIONARY;
                    tr.state = Track.State.LOST;
                }
            }
        }
        for (T tr : tracks) {
            if (tr.confirmed && tr.state != Track.State.LOST) {
                updateZones(tr, false, events);
            }
        }
        expire(events);
        return snapshot(d.frameSequence(), t);
    }

    /**
     * Time passes without detections (the motion stage found nothing to look
     * at): tracks that are over their time end.
     */
    public void idle(long timeMillis, Consumer<TrackEvent> events) {
        now = Math.max(now, timeMillis);
        expire(events);
    }

    /** The current tracks, without running a frame. */
    public TrackedFrame snapshot(long sequence, long timeMillis) {
        List<Track> out = new ArrayList<>(tracks.size());
        Map<String, Map<String, Integer>> counts = new LinkedHashMap<>();
        for (Zone z : zones) {
            counts.put(z.name(), new TreeMap<>());
        }
        for (T tr : tracks) {
            out.add(tr.view(cameraId));
            if (tr.confirmed) {
                for (String zn : tr.zones) {
                    counts.get(zn).merge(tr.label, 1, Integer::sum);
                }
            }
        }
        return new TrackedFrame(cameraId, sequence, timeMillis, List.copyOf(out), counts);
    }

    /** Ends every track now (LEAVE and END events): the camera is gone or the tracker stops. */
    public void endAll(Consumer<TrackEvent> events) {
        for (T tr : tracks) {
            if (tr.confirmed) {
                end(tr, events);
            }
        }
        tracks.clear();
    }

    private void expire(Consumer<TrackEvent> events) {
        for (Iterator<T> it = tracks.iterator(); it.hasNext(); ) {
            T tr = it.next();
            long unseen = now - tr.lastSeen;
            boolean over;
            if (tr.state == Track.State.LOST) {
                over = unseen > (tr.stationaryWhenLost ? s.stationaryEndAfterMillis() : s.endAfterMillis());
            } else {
                // confirmed objects end only after being lost; tentative ones the detector stopped looking at go
                over = !tr.confirmed && unseen > s.endAfterMillis();
            }
            if (over) {
                if (tr.confirmed) {
                    end(tr, events);
                }
                it.remove();
            }
        }
    }

    private void end(T tr, Consumer<TrackEvent> events) {
        for (String zn : tr.zones) {
            events.accept(event(TrackEvent.Type.LEAVE, tr, zn, now - tr.zoneSince.getOrDefault(zn, tr.firstSeen), null));
        }
        tr.zones.clear();
        events.accept(event(TrackEvent.Type.END, tr, null, now - tr.firstSeen, tr.snapshot));
    }

    /** Greedy IoU matching of one detection group to one track group. */
    private void associate(List<Detection> dets, boolean confident, boolean tentative, float minIou, Frame frame,
                           Consumer<TrackEvent> events) {
        int n = 0;
        for (int ti = 0; ti < tracks.size(); ti++) {
            T tr = tracks.get(ti);
            if (tr.matchedNow || tr.confirmed == tentative || (!confident && tr.state == Track.State.LOST)) {
                continue;
            }
            float px = tr.kf.x(), py = tr.kf.y(), pw = tr.kf.width(), ph = tr.kf.height();
            for (int di = 0; di < dets.size(); di++) {
                Detection det = dets.get(di);
                if (detUsed[di] || det.classId() != tr.classId
                        || (confident ? det.score() < s.highScore() : det.score() < s.lowScore() || det.score() >= s.highScore())) {
                    continue;
                }
                float iou = iou(px, py, pw, ph, det);
                if (iou >= minIou) {
                    if (n == pairIou.length) {
                        grow();
                    }
                    pairIou[n] = iou;
                    pairTrack[n] = ti;
                    pairDet[n] = di;
                    order[n] = n;
                    n++;
                }
            }
        }
        if (n == 0) {
            return;
        }
        float[] ious = pairIou;
        Arrays.sort(order, 0, n, (a, b) -> Float.compare(ious[b], ious[a]));
        for (int k = 0; k < n; k++) {
            int p = order[k];
            T tr = tracks.get(pairTrack[p]);
            if (tr.matchedNow || detUsed[pairDet[p]]) {
                continue;
            }
            detUsed[pairDet[p]] = true;
            match(tr, dets.get(pairDet[p]), frame, events);
        }
    }

    private void grow() {
        int m = pairIou.length * 2;
        pairIou = Arrays.copyOf(pairIou, m);
        pairTrack = Arrays.copyOf(pairTrack, m);
        pairDet = Arrays.copyOf(pairDet, m);
        order = Arrays.copyOf(order, m);
    }

    private void match(T tr, Detection det, Frame frame, Consumer<TrackEvent> events) {
        tr.matchedNow = true;
        tr.kf.update(det.x(), det.y(), det.width(), det.height());
        tr.box(det);
        tr.hits++;
        tr.misses = 0;
        tr.lastSeen = now;
        tr.lastScore = det.score();
        tr.score = Math.max(tr.score, det.score());
        if (!tr.confirmed) {
            if (tr.hits >= s.confirmHits()) {
                confirm(tr, frame, det, events);
            }
            return;
        }
        if (tr.state == Track.State.LOST) {
            tr.state = tr.stationaryWhenLost ? Track.State.STATIONARY : Track.State.ACTIVE;
        }
        stationaryCheck(tr, events);
        bestCrop(tr, det, frame);
    }

    private void confirm(T tr, Frame frame, Detection det, Consumer<TrackEvent> events) {
        tr.confirmed = true;
        tr.state = Track.State.ACTIVE;
        tr.anchor(now);
        tr.matchedNow = true;
        events.accept(event(TrackEvent.Type.START, tr, null, now - tr.firstSeen, null));
        updateZones(tr, true, events);
        bestCrop(tr, det, frame);
    }

    private void stationaryCheck(T tr, Consumer<TrackEvent> events) {
        float moved = Math.max(Math.abs(tr.cx() - tr.anchorX), Math.abs(tr.bottom() - tr.anchorY));
        if (moved > s.stationaryMove() * Math.max(tr.h, 1)) {
            tr.anchor(now);
            if (tr.state == Track.State.STATIONARY) {
                tr.state = Track.State.ACTIVE;
            }
        } else if (tr.state == Track.State.ACTIVE && now - tr.anchorTime >= s.stationaryAfterMillis()) {
            tr.state = Track.State.STATIONARY;
            tr.kf.stop();
            events.accept(event(TrackEvent.Type.STATIONARY, tr, null, now - tr.firstSeen, null));
        }
    }

    private void bestCrop(T tr, Detection det, Frame frame) {
        if (encoder == null || frame == null || det.score() < tr.snapshotScore + 0.05f) {
            return;
        }
        byte[] jpeg = encoder.encode(frame, det.x(), det.y(), det.width(), det.height());
        if (jpeg != null) {
            tr.snapshot = jpeg;
            tr.snapshotScore = det.score();
        }
    }

    private void updateZones(T tr, boolean immediate, Consumer<TrackEvent> events) {
        if (zones.isEmpty()) {
            return;
        }
        // where the object stands: the bottom centre of its box
        float fx = tr.cx();
        float fy = tr.bottom();
        for (int i = 0; i < zones.size(); i++) {
            Zone z = zones.get(i);
            boolean in = Zones.contains(z, fx, fy);
            boolean was = tr.zones.contains(z.name());
            if (in == was) {
                tr.zonePending[i] = 0;
                continue;
            }
            if (!immediate && ++tr.zonePending[i] < s.zoneFrames()) {
                continue;
            }
            tr.zonePending[i] = 0;
            if (in) {
                tr.zones.add(z.name());
                tr.zoneSince.put(z.name(), now);
                events.accept(event(TrackEvent.Type.ENTER, tr, z.name(), now - tr.firstSeen, null));
            } else {
                tr.zones.remove(z.name());
                Long since = tr.zoneSince.remove(z.name());
                events.accept(event(TrackEvent.Type.LEAVE, tr, z.name(), now - (since == null ? tr.firstSeen : since), null));
            }
        }
    }

    private TrackEvent event(TrackEvent.Type type, T tr, String zone, long duration, byte[] jpeg) {
        return new TrackEvent(type, cameraId, tr.id, tr.classId, tr.label, tr.score, zone, now, duration, jpeg);
    }

    private boolean covered(T tr, List<Region> regions) {
        if (regions == null || regions.isEmpty()) {
            return false;
        }
        float x0 = tr.x, y0 = tr.y, x1 = tr.x + tr.w, y1 = tr.y + tr.h;
        double area = Math.max(1e-3, (double) tr.w * tr.h);
        double inside = 0;
        // regions of one frame do not overlap much; the sum is a fair lower bound of the union's share
        for (Region r : regions) {
            double w = Math.min(x1, r.right()) - Math.max(x0, r.x());
            double h = Math.min(y1, r.bottom()) - Math.max(y0, r.y());
            if (w > 0 && h > 0) {
                inside += w * h;
            }
        }
        return Math.min(1.0, inside / area) >= s.coverage();
    }

    private static float iou(float x, float y, float w, float h, Detection d) {
        float iw = Math.min(x + w, d.right()) - Math.max(x, d.x());
        float ih = Math.min(y + h, d.bottom()) - Math.max(y, d.y());
        if (iw <= 0 || ih <= 0) {
            return 0f;
        }
        float inter = iw * ih;
        return inter / (w * h + d.area() - inter);
    }

    /** One track's mutable state. */
    private final class T {
        final long id;
        final int classId;
        final String label;
        final KalmanBox kf;
        final long firstSeen;
        final java.util.Set<String> zones = new java.util.LinkedHashSet<>();
        final Map<String, Long> zoneSince = new java.util.HashMap<>();
        final int[] zonePending = new int[CameraTracker.this.zones.size()];
        float x, y, w, h;
        float score;
        float lastScore;
        int hits = 1;
        int misses;
        long lastSeen;
        boolean confirmed;
        boolean matchedNow = true;
        /** Looked at and not found: the box shown is the prediction. */
        boolean coasting;
        boolean stationaryWhenLost;
        Track.State state = Track.State.TENTATIVE;
        float anchorX, anchorY;
        long anchorTime;
        byte[] snapshot;
        float snapshotScore = -1;

        T(long id, Detection d, long now) {
            this.id = id;
            this.classId = d.classId();
            this.label = d.label();
            this.kf = new KalmanBox(d.x(), d.y(), d.width(), d.height());
            this.firstSeen = now;
            this.lastSeen = now;
            this.score = d.score();
            this.lastScore = d.score();
            box(d);
        }

        void box(Detection d) {
            x = d.x();
            y = d.y();
            w = d.width();
            h = d.height();
        }

        float cx() {
            return x + w / 2;
        }

        float bottom() {
            return y + h;
        }

        void anchor(long t) {
            anchorX = cx();
            anchorY = bottom();
            anchorTime = t;
        }

        Track view(String camera) {
            // the last detection's box, or the prediction while the detector looks and does not find the object
            float bx = coasting ? kf.x() : x;
            float by = coasting ? kf.y() : y;
            float bw = coasting ? kf.width() : w;
            float bh = coasting ? kf.height() : h;
            return new Track(camera, id, classId, label, score, bx, by, bw, bh, state, firstSeen, lastSeen,
                    List.copyOf(zones));
        }
    }
}

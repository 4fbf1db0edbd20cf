package io.edgetune.inference.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import io.edgetune.api.detect.Detection;
import io.edgetune.api.detect.Detections;
import io.edgetune.api.frame.Frame;
import io.edgetune.api.frame.FramePool;
import io.edgetune.api.motion.MotionResult;
import io.edgetune.api.motion.Region;
import io.edgetune.api.track.Track;
import io.edgetune.api.track.TrackEvent;
import io.edgetune.api.track.TrackedFrame;
import io.edgetune.api.track.TrackerService;
import io.edgetune.api.track.Zone;
import io.edgetune.inference.TestAssets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Region mode with the tracker: a person standing still inside a motion crop that keeps being proposed
 * (one frame of the sample video repeated) stops costing an inference per frame once the track is
 * STATIONARY; the periodic full-frame pass still runs and finds a new object in that crop.
 *
 * <p>The tracker bundle depends on this one (test scope), so it cannot be used here; the TrackerService
 * below follows the real detections the component delivers: the person's track is the detection
 * matching its box, STATIONARY after three sightings in place, any other detection an ACTIVE track.
 */
public class StationarySkipTest {

    private static final int EVERY = 5;
    private static final String CAMERA = "plaza";

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private DetectorComponent component;
    private final List<Detections> delivered = new CopyOnWriteArrayList<>();

    @After
    public void stop() {
        if (component != null) {
            component.deactivate();
        }
    }

    /**
     * Tracks from the delivered detections: a detection matching one of the last delivery's tracks (same class,
     * IoU 0.3) continues it, and a track seen three times in place is STATIONARY (the model reports a person
     * also as Man, Clothing and so on: each is a track, as in the tracker bundle).
     */
    private static final class FollowingTracker implements TrackerService {
        private final Detection person;
        private List<Detection> lastBoxes = List.of();
        private List<Integer> lastSightings = List.of();
        private volatile TrackedFrame current;

        FollowingTracker(Detection person) {
            this.person = person;
        }

        void onDetections(Detections d) {
            List<Track> tracks = new ArrayList<>();
            List<Integer> sightings = new ArrayList<>();
            long id = 1;
            for (Detection x : d.detections()) {
                int seen = 1;
                for (int i = 0; i < lastBoxes.size(); i++) {
                    Detection p = lastBoxes.get(i);
                    if (p.classId() == x.classId() && p.iou(x) >= 0.3f) {
                        seen = lastSightings.get(i) + 1;
                        break;
                    }
                }
                sightings.add(seen);
                Track.State s = seen >= 3 ? Track.State.STATIONARY : Track.State.ACTIVE;
                tracks.add(new Track(CAMERA, id++, x.classId(), x.label(), x.score(), x.x(), x.y(), x.width(),
                        x.height(), s, 0, d.frameTimestampMillis(), List.of()));
            }
            lastBoxes = d.detections();
            lastSightings = sightings;
            current = new TrackedFrame(CAMERA, d.frameSequence(), d.frameTimestampMillis(), List.copyOf(tracks), Map.of());
        }

        boolean stationary() {
            TrackedFrame f = current;
            return f != null && f.tracks().stream().anyMatch(t -> t.state() == Track.State.STATIONARY && t.classId() == person.classId()
                    && new Detection(t.classId(), t.label(), t.score(), t.x(), t.y(), t.width(), t.height()).iou(person) >= 0.5f);
        }

        @Override
        public TrackedFrame current(String cameraId) {
            return CAMERA.equals(cameraId) ? current : null;
        }

        @Override
        public List<Zone> zones(String cameraId) {
            return List.of();
        }

        @Override
        public List<TrackEvent> recentEvents(String cameraId, int max) {
            return List.of();
        }
    }

    private void start(boolean skip) throws Exception {
        Map<String, Object> c = new HashMap<>();
        c.put("model_dir", tmp.getRoot().toPath().resolve("models-" + skip).toString());
        c.put("assets_dir", TestAssets.dir().toString());
        c.put("regions_fullframe_every", EVERY);
        c.put("regions_skip_stationary", skip);
        component = new DetectorComponent();
        component.addDetectionListener((d, frame) -> delivered.add(d));
        component.activate(Configs.detector(c));
        waitFor(() -> component.status().modelVersion() != null);
    }

    private static void waitFor(java.util.function.BooleanSupplier c) throws InterruptedException {
        long end = System.currentTimeMillis() + 120_000;
        while (!c.getAsBoolean()) {
            if (System.currentTimeMillis() > end) {
                throw new AssertionError("condition not met within 120 s");
            }
            Thread.sleep(5);
        }
    }

    /**
     * Offers one frame with one motion crop and waits until the worker has handled it (delivered or skipped);
     * the worker releases it just after, so the pool holds one frame more than is in flight.
     */
    private void feed(FramePool pool, long seq, byte[] bgr, Region crop) throws InterruptedException {
        long handled = delivered.size() + component.skippedStationary();
        Frame f = TestAssets.frame(pool, CAMERA, seq, bgr);
        component.onMotion(new MotionResult(f, List.of(crop), 0.1, false, MotionResult.State.MOTION, 1000));
        f.release();
        waitFor(() -> delivered.size() + component.skippedStationary() == handled + 1);
    }

    private static Detection largestPerson(List<Detection> ds) {
        Detection best = null;
        for (Detection d : ds) {
            if (d.label().equals("Person") && (best == null || d.area() > best.area())) {
                best = d;
            }
        }
        return best;
    }

    private static Region grown(Detection d, float by) {
        int x = Math.max(0, Math.round(d.x() - d.width() * by));
        int y = Math.max(0, Math.round(d.y() - d.height() * by));
        int r = Math.min(TestAssets.WIDTH, Math.round(d.right() + d.width() * by));
        int b = Math.min(TestAssets.HEIGHT, Math.round(d.bottom() + d.height() * by));
        return new Region(x, y, r - x, b - y);
    }

    @Test
    public void aStandingPersonIsReDetectedOnlyByTheRefreshPassAndANewObjectIsFoundThere() throws Exception {
        Map<Integer, byte[]> video = TestAssets.frames(300);
        byte[] still = video.get(300);
        start(true);
        FramePool pool = new FramePool(3, TestAssets.WIDTH, TestAssets.HEIGHT);
        Frame probe = TestAssets.frame(pool, CAMERA, 0, still);
        Detection person;
        try {
            person = largestPerson(component.detect(probe, List.of()).detections());
        } finally {
            probe.release();
        }
        assertNotNull("frame 300 shows people", person);
        // the motion crop the stage keeps proposing over the person (a fidget): the box grown by a tenth
        Region crop = grown(person, 0.1f);
        FollowingTracker tracker = new FollowingTracker(person);
        component.addDetectionListener((d, frame) -> tracker.onDetections(d));
        component.setTracker(tracker);

        int frames = 60;
        int onset = -1;
        List<Integer> inferredAt = new ArrayList<>();
        for (int i = 1; i <= frames; i++) {
            int before = delivered.size();
            feed(pool, i, still, crop);
            if (delivered.size() > before) {
                inferredAt.add(i);
            }
            if (onset < 0 && component.skippedStationary() > 0) {
                onset = i;
                assertTrue("the first skip follows the person's track turning stationary", tracker.stationary());
            }
        }
        // the person, and the model's other boxes on them (Man, Clothing...), each need three sightings; then the first skip
        assertTrue("skipping began at frame " + onset, onset > 0 && onset <= 3 * EVERY);
        int stationaryFrom = onset;
        long after = inferredAt.stream().filter(i -> i > stationaryFrom).count();
        int span = frames - onset;
        System.out.printf("stationary person in a moving crop: %d frames, %d inferences (%d of the %d frames after the tracks in the crop "
                + "all turned stationary, from frame %d), %d skipped: stationary; without skipping: %d inferences%n",
                frames, inferredAt.size(), after, span, onset, component.skippedStationary(), frames);
        System.out.println("inferences at frames " + inferredAt);
        // after the onset only the periodic full-frame passes run: one inference every EVERY frames
        assertTrue("inferences after the onset " + after + " of " + span, after >= span / EVERY && after <= span / EVERY + 1);
        for (Detections d : delivered.subList(delivered.size() - (int) after, delivered.size())) {
            assertEquals(Detections.Mode.FULL_FRAME, d.mode());
        }
        assertEquals(frames - inferredAt.size(), component.skippedStationary());
        assertEquals("skipped frames are not drops", 0, component.status().dropped());

        // a new object in the crop: another frame's pixels pasted into it; found at the next refresh at the latest
        Detection newcomer = null;
        byte[] changed = null;
        Map<Integer, byte[]> others = TestAssets.frames(100, 150, 200, 250, 350, 400, 450, 500, 550, 600, 650, 700);
        for (Map.Entry<Integer, byte[]> o : others.entrySet()) {
            byte[] mixed = paste(still, o.getValue(), crop);
            Frame m = TestAssets.frame(pool, CAMERA, 0, mixed);
            try {
                // the refresh pass runs on the full frame: the newcomer must be visible at that scale
                for (Detection d : component.detect(m, List.of()).detections()) {
                    if (d.label().equals("Person") && d.iou(person) < 0.3f && centredIn(d, crop)) {
                        newcomer = d;
                        changed = mixed;
                    }
                }
            } finally {
                m.release();
            }
            if (newcomer != null) {
                break;
            }
        }
        assertNotNull("some frame shows another person in the crop", newcomer);
        int seen = -1;
        for (int i = frames + 1; i <= frames + EVERY && seen < 0; i++) {
            int before = delivered.size();
            feed(pool, i, changed, crop);
            if (delivered.size() > before) {
                for (Detection d : delivered.get(delivered.size() - 1).detections()) {
                    if (d.label().equals("Person") && d.iou(newcomer) >= 0.5f) {
                        seen = i;
                    }
                }
            }
        }
        assertTrue("the new person was detected within one refresh period", seen > 0);
        System.out.printf("new person in the crop: detected %d frame(s) after it appeared%n", seen - frames);
    }

    @Test
    public void withoutTheSettingEveryFrameRunsInference() throws Exception {
        byte[] still = TestAssets.frames(300).get(300);
        start(false);
        FramePool pool = new FramePool(3, TestAssets.WIDTH, TestAssets.HEIGHT);
        Frame probe = TestAssets.frame(pool, CAMERA, 0, still);
        Detection person;
        try {
            person = largestPerson(component.detect(probe, List.of()).detections());
        } finally {
            probe.release();
        }
        FollowingTracker tracker = new FollowingTracker(person);
        component.addDetectionListener((d, frame) -> tracker.onDetections(d));
        component.setTracker(tracker);
        for (int i = 1; i <= 15; i++) {
            feed(pool, i, still, grown(person, 0.1f));
        }
        assertTrue(tracker.stationary());
        assertEquals(15, delivered.size());
        assertEquals(0, component.skippedStationary());
    }

    private static boolean centredIn(Detection d, Region r) {
        float cx = d.x() + d.width() / 2, cy = d.y() + d.height() / 2;
        return cx >= r.x() && cx < r.right() && cy >= r.y() && cy < r.bottom();
    }

    /** {@code base} with the pixels of {@code r} taken from {@code other} (BGR, frame size). */
    private static byte[] paste(byte[] base, byte[] other, Region r) {
        byte[] out = base.clone();
        int stride = TestAssets.WIDTH * 3;
        for (int y = r.y(); y < r.bottom(); y++) {
            System.arraycopy(other, y * stride + r.x() * 3, out, y * stride + r.x() * 3, r.width() * 3);
        }
        return out;
    }
}

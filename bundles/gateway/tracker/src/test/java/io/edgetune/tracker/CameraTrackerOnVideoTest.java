package io.edgetune.tracker;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import io.edgetune.api.detect.Detection;
import io.edgetune.api.detect.Detections;
import io.edgetune.api.motion.Region;
import io.edgetune.api.track.Track;
import io.edgetune.api.track.TrackEvent;
import io.edgetune.api.track.TrackedFrame;
import io.edgetune.api.track.Zone;
import io.edgetune.tracker.engine.CameraTracker;
import io.edgetune.tracker.engine.JpegCrops;
import io.edgetune.tracker.engine.TrackerSettings;
import io.edgetune.tracker.engine.Zones;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.Test;

/** The tracker on the real model's detections of the sample video (30 s, full-frame detection). */
public class CameraTrackerOnVideoTest {

    private static final int FRAMES = 300;

    @Test
    public void peopleKeepOneIdWhileTheyCrossThePlaza() throws Exception {
        TrackerSettings s = TrackerSettings.defaults();
        CameraTracker t = new CameraTracker("plaza", s, List.of(), JpegCrops.of(s));
        List<TrackEvent> events = new ArrayList<>();
        Map<Long, Integer> framesMatched = new HashMap<>();
        int[] confidentDetections = {0};
        int[] confidentInConfirmed = {0};
        SampleVideo.replay(FRAMES, (d, f) -> {
            TrackedFrame tf = t.update(d, f, events::add);
            assertEquals(d.frameSequence(), tf.frameSequence());
            for (Track tr : tf.tracks()) {
                if (tr.lastSeenMillis() == d.frameTimestampMillis() && tr.state() != Track.State.TENTATIVE) {
                    framesMatched.merge(tr.trackId(), 1, Integer::sum);
                }
            }
            for (Detection det : d.detections()) {
                if (det.score() >= s.highScore()) {
                    confidentDetections[0]++;
                    for (Track tr : tf.tracks()) {
                        if (tr.state() != Track.State.TENTATIVE && tr.x() == det.x() && tr.y() == det.y()
                                && tr.width() == det.width()) {
                            confidentInConfirmed[0]++;
                            break;
                        }
                    }
                }
            }
        });
        t.endAll(events::add);
        Set<Long> started = new HashSet<>();
        Set<Long> ended = new HashSet<>();
        for (TrackEvent e : events) {
            if (e.type() == TrackEvent.Type.START) {
                assertTrue("id reused: " + e.trackId(), started.add(e.trackId()));
            } else if (e.type() == TrackEvent.Type.END) {
                assertTrue("END before START: " + e.trackId(), started.contains(e.trackId()));
                assertTrue("ended twice: " + e.trackId(), ended.add(e.trackId()));
                assertTrue(e.durationMillis() >= 0);
            }
        }
        assertEquals(started, ended);
        int longest = framesMatched.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        double mean = framesMatched.values().stream().mapToInt(Integer::intValue).average().orElse(0);
        System.out.printf("tracks: %d confirmed, matched frames per track mean %.1f, longest %d; confident detections %d, "
                + "%d of them on confirmed tracks%n", started.size(), mean, longest, confidentDetections[0], confidentInConfirmed[0]);
        // people take well over 10 s to cross the plaza at 10 fps
        assertTrue("longest track " + longest + " frames", longest >= 100);
        // fragmentation: an object cut into many short tracks would pull the mean down
        assertTrue("mean track length " + mean, mean >= 15);
        // most confident boxes belong to a confirmed object
        assertTrue(confidentInConfirmed[0] + " of " + confidentDetections[0], confidentInConfirmed[0] >= 0.8 * confidentDetections[0]);
        // every ended object carries its best picture: a small JPEG within the caps
        int withPicture = 0;
        for (TrackEvent e : events) {
            if (e.type() == TrackEvent.Type.END && e.snapshotJpeg() != null) {
                withPicture++;
                byte[] jpeg = e.snapshotJpeg();
                assertTrue(jpeg.length <= s.snapshotMaxBytes());
                try (BytePointer bp = new BytePointer(jpeg); Mat raw = new Mat(1, jpeg.length, org.bytedeco.opencv.global.opencv_core.CV_8UC1, bp);
                     Mat img = imdecode(raw, IMREAD_COLOR)) {
                    assertFalse(img.empty());
                    assertTrue(Math.max(img.cols(), img.rows()) <= s.snapshotMaxSide());
                }
            }
        }
        assertEquals(ended.size(), withPicture);
    }

    @Test
    public void zonesCountWhoStandsInThemAndEnterPrecedesLeave() throws Exception {
        // the lower half of the frame
        List<Zone> zones = Zones.parse("plaza:near=0,330;767,330;767,575;0,575").get("plaza");
        CameraTracker t = new CameraTracker("plaza", TrackerSettings.defaults(), zones, null);
        List<TrackEvent> events = new ArrayList<>();
        int[] frameswithCount = {0};
        for (Detections d : SampleVideo.detections(FRAMES)) {
            TrackedFrame tf = t.update(d, null, events::add);
            int inZone = 0;
            for (Track tr : tf.tracks()) {
                if (tr.zones().contains("near")) {
                    assertFalse(tr.state() == Track.State.TENTATIVE);
                    inZone++;
                }
            }
            int counted = tf.zoneCounts().get("near").values().stream().mapToInt(Integer::intValue).sum();
            assertEquals(inZone, counted);
            if (counted > 0) {
                frameswithCount[0]++;
            }
        }
        t.endAll(events::add);
        Map<Long, Long> enteredAt = new HashMap<>();
        int enters = 0;
        for (TrackEvent e : events) {
            if (e.type() == TrackEvent.Type.ENTER) {
                assertEquals("near", e.zone());
                assertTrue("entered twice: " + e.trackId(), enteredAt.put(e.trackId(), e.timeMillis()) == null);
                enters++;
            } else if (e.type() == TrackEvent.Type.LEAVE) {
                Long at = enteredAt.remove(e.trackId());
                assertNotNull("left before entering: " + e.trackId(), at);
                assertEquals(e.timeMillis() - at, e.durationMillis());
            }
        }
        assertTrue("objects still in the zone after endAll: " + enteredAt, enteredAt.isEmpty());
        System.out.printf("zone near: %d enters, %d of %d frames with someone in it%n", enters, frameswithCount[0], FRAMES);
        assertTrue(enters >= 2);
        assertTrue(frameswithCount[0] >= FRAMES / 4);
    }

    @Test
    public void objectsTheDetectorDoesNotLookAtKeepTheirTrackUntilItLooksAndFindsNothing() throws Exception {
        TrackerSettings s = TrackerSettings.defaults();
        CameraTracker t = new CameraTracker("plaza", s, List.of(), null);
        List<TrackEvent> events = new ArrayList<>();
        List<Detections> real = SampleVideo.detections(60);
        TrackedFrame last = null;
        for (Detections d : real) {
            last = t.update(d, null, events::add);
        }
        List<Track> confirmed = last.tracks().stream().filter(tr -> tr.state() == Track.State.ACTIVE).toList();
        assertTrue("confirmed tracks after 6 s: " + confirmed.size(), confirmed.size() >= 3);
        long time = 5_900;
        // 30 s in region mode: motion only in a corner where no object is, nothing detected there
        Region corner = new Region(0, 0, 8, 8);
        for (Track tr : confirmed) {
            assertTrue(tr.x() > 8 || tr.y() > 8);
        }
        int before = events.size();
        for (int i = 1; i <= 300; i++) {
            time += 100;
            TrackedFrame tf = t.update(regions(60 + i, time, List.of(corner)), null, events::add);
            for (Track c : confirmed) {
                Track now = find(tf, c.trackId());
                assertNotNull("track " + c.trackId() + " dropped at " + time, now);
                assertTrue(now.state() == Track.State.ACTIVE || now.state() == Track.State.STATIONARY);
                if (time - 5_900 > s.stationaryAfterMillis()) {
                    // not looked at for stationary.after: as far as motion can tell, it stands still
                    assertEquals(Track.State.STATIONARY, now.state());
                }
                assertEquals(c.x(), now.x(), 1e-3);
                assertEquals(c.height(), now.height(), 1e-3);
            }
        }
        // (tracks that were already lost at frame 60 may end meanwhile; the kept ones do not)
        Set<Long> keptIds = new HashSet<>();
        confirmed.forEach(c -> keptIds.add(c.trackId()));
        assertTrue(events.subList(before, events.size()).stream()
                .noneMatch(e -> e.type() == TrackEvent.Type.END && keptIds.contains(e.trackId())));
        // now motion covers the whole frame and the detector finds nothing: lost, then ended
        Region all = new Region(0, 0, 768, 576);
        for (int i = 1; i <= s.lostAfterMisses(); i++) {
            time += 100;
            TrackedFrame tf = t.update(regions(360 + i, time, List.of(all)), null, events::add);
            if (i == s.lostAfterMisses()) {
                for (Track c : confirmed) {
                    assertEquals(Track.State.LOST, find(tf, c.trackId()).state());
                }
            }
        }
        t.idle(time + s.endAfterMillis() + 1, events::add);
        // they were stationary: a longer wait before they end
        assertTrue(events.stream().noneMatch(e -> e.type() == TrackEvent.Type.END && keptIds.contains(e.trackId())));
        t.idle(time + s.stationaryEndAfterMillis() + 1, events::add);
        Set<Long> endedIds = new HashSet<>();
        for (TrackEvent e : events) {
            if (e.type() == TrackEvent.Type.END) {
                endedIds.add(e.trackId());
            }
        }
        for (Track c : confirmed) {
            assertTrue("not ended: " + c.trackId(), endedIds.contains(c.trackId()));
        }
        assertEquals(0, t.size());
    }

    @Test
    public void anObjectThatStaysPutBecomesStationaryOnceAndOutlivesAShortMiss() throws Exception {
        TrackerSettings s = TrackerSettings.defaults().withStationaryAfterMillis(5_000);
        CameraTracker t = new CameraTracker("plaza", s, List.of(), null);
        List<TrackEvent> events = new ArrayList<>();
        // one real frame's detections seen again and again: nothing moves
        Detections still = SampleVideo.detections(1).get(0);
        TrackedFrame tf = null;
        for (int i = 0; i < 80; i++) {
            tf = t.update(copyAt(still, i, 100L * i), null, events::add);
        }
        long stationary = tf.tracks().stream().filter(tr -> tr.state() == Track.State.STATIONARY).count();
        long confident = still.detections().stream().filter(d -> d.score() >= s.highScore()).count();
        assertEquals(confident, stationary);
        assertEquals(stationary, events.stream().filter(e -> e.type() == TrackEvent.Type.STATIONARY).count());
        // the detector misses them for longer than a moving object would survive
        long time = 7_900;
        for (int i = 1; i <= 50; i++) {
            time += 100;
            t.update(regions(80 + i, time, List.of(new Region(0, 0, 768, 576))), null, events::add);
        }
        assertTrue(events.stream().noneMatch(e -> e.type() == TrackEvent.Type.END));
        tf = t.update(copyAt(still, 200, time + 100), null, events::add);
        assertEquals(stationary, tf.tracks().stream().filter(tr -> tr.state() == Track.State.STATIONARY).count());
    }

    private static Track find(TrackedFrame tf, long id) {
        for (Track tr : tf.tracks()) {
            if (tr.trackId() == id) {
                return tr;
            }
        }
        return null;
    }

    private static Detections regions(long seq, long time, List<Region> regions) {
        return new Detections("plaza", seq, time, 0, "base", "test", Detections.Mode.REGIONS, regions, List.of(), 0, 0);
    }

    private static Detections copyAt(Detections d, long seq, long time) {
        return new Detections(d.cameraId(), seq, time, 0, d.modelVersion(), d.backend(), d.mode(), d.regions(),
                d.detections(), 0, 0);
    }
}

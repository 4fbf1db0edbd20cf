package io.edgetune.tracker;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.edgetune.api.detect.Detections;
import io.edgetune.api.detect.DetectorService;
import io.edgetune.api.frame.Frame;
import io.edgetune.api.frame.FramePool;
import io.edgetune.api.motion.MotionResult;
import io.edgetune.api.motion.Region;
import io.edgetune.api.track.Track;
import io.edgetune.api.track.TrackEvent;
import io.edgetune.api.track.TrackedFrame;
import io.edgetune.inference.TestAssets;
import io.edgetune.inference.engine.DetectorSettings;
import io.edgetune.inference.engine.LoadedModel;
import io.edgetune.motion.engine.MotionEngine;
import io.edgetune.motion.engine.MotionSettings;
import io.edgetune.testsupport.Assets;
import io.edgetune.testsupport.VideoFrames;
import io.edgetune.tracker.engine.CameraTracker;
import io.edgetune.tracker.engine.JpegCrops;
import io.edgetune.tracker.engine.TrackerSettings;
import io.edgetune.tracker.engine.Zones;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.junit.Test;

/**
 * The tracker on the whole sample video as the demo runs it: the motion stage
 * (MOG2) gates and crops, the detector runs on the motion regions (score
 * threshold 0.4, the demo's), the tracker follows with the demo's zone.
 * Prints the figures of docs/evaluation.md: tracks, their length, how often
 * they break, events per minute, and how many detector crops held nothing but
 * stationary objects (what skipping re-detection of stationary tracks could
 * save).
 */
public class SampleVideoFiguresTest {

    @Test
    public void theWholeSampleVideoInRegionMode() throws Exception {
        TrackerSettings s = TrackerSettings.defaults();
        List<io.edgetune.api.track.Zone> zones = Zones.parse("plaza:front=0,330;767,330;767,575;0,575").get("plaza");
        CameraTracker tracker = new CameraTracker("plaza", s, zones, JpegCrops.of(s));
        Map<TrackEvent.Type, Integer> events = new EnumMap<>(TrackEvent.Type.class);
        Map<Long, long[]> life = new HashMap<>(); // track id -> {first, last, frames matched}
        int[] lostAgain = {0};
        Map<Long, Track.State> lastState = new HashMap<>();
        long snapshotBytes = 0;
        int frames = 0, inferences = 0, crops = 0, stationaryOnlyCrops = 0, droppedCrops = 0, skippableFrames = 0;
        long trackerNanos = 0;
        java.util.List<TrackEvent> all = new java.util.ArrayList<>();
        java.util.List<Detections> recorded = new java.util.ArrayList<>(java.util.Collections.nCopies(795, null));
        FramePool pool = new FramePool(1, VideoFrames.WIDTH, VideoFrames.HEIGHT);
        try (LoadedModel model = TestAssets.loadModel("base");
             MotionEngine motion = new MotionEngine(MotionSettings.defaults());
             FFmpegFrameGrabber g = new FFmpegFrameGrabber(Assets.video().toFile())) {
            DetectorService det = TestAssets.detectorService(model, DetectorSettings.defaults().withScoreThreshold(0.4f));
            avutil.av_log_set_level(avutil.AV_LOG_ERROR);
            g.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
            g.start();
            TrackedFrame last = null;
            for (org.bytedeco.javacv.Frame vf; (vf = g.grabImage()) != null; frames++) {
                Frame f = VideoFrames.frame(pool, VideoFrames.packed(vf), "plaza", frames, 100L * frames);
                try {
                    MotionResult m = motion.process(f);
                    if (frames >= recorded.size()) {
                        recorded.add(null);
                    }
                    if (!m.needsInference()) {
                        tracker.idle(f.timestampMillis(), all::add);
                        continue;
                    }
                    List<Region> regions = m.fullFrame() ? List.of() : m.regions();
                    // crops that hold confirmed objects, all of them stationary: re-detection there finds what we know
                    if (last != null) {
                        // what the detector's regions.skip.stationary rule would drop here (this run still infers every frame)
                        List<Region> kept = io.edgetune.inference.regions.StationaryCrops.keep(regions, last.tracks());
                        droppedCrops += regions.size() - kept.size();
                        if (!regions.isEmpty() && kept.isEmpty()) {
                            skippableFrames++;
                        }
                        for (Region r : regions) {
                            crops++;
                            boolean any = false, onlyStationary = true;
                            for (Track t : last.tracks()) {
                                if (t.state() == Track.State.TENTATIVE) {
                                    continue;
                                }
                                boolean inside = t.x() < r.right() && r.x() < t.x() + t.width() && t.y() < r.bottom() && r.y() < t.y() + t.height();
                                if (inside) {
                                    any = true;
                                    onlyStationary &= t.state() == Track.State.STATIONARY;
                                }
                            }
                            if (any && onlyStationary) {
                                stationaryOnlyCrops++;
                            }
                        }
                    }
                    Detections d = det.detect(f, regions);
                    recorded.set(frames, d);
                    inferences++;
                    long t0 = System.nanoTime();
                    last = tracker.update(d, f, all::add);
                    trackerNanos += System.nanoTime() - t0;
                    for (Track t : last.tracks()) {
                        if (t.state() == Track.State.TENTATIVE) {
                            continue;
                        }
                        Track.State before = lastState.put(t.trackId(), t.state());
                        if (before == Track.State.LOST && t.state() != Track.State.LOST) {
                            lostAgain[0]++; // found again after being lost: the track bridged a gap
                        }
                        if (t.lastSeenMillis() == d.frameTimestampMillis()) {
                            long[] l = life.computeIfAbsent(t.trackId(), k -> new long[] {t.firstSeenMillis(), 0, 0});
                            l[1] = t.lastSeenMillis();
                            l[2]++;
                        }
                    }
                } finally {
                    f.release();
                }
            }
        }
        tracker.endAll(all::add);
        for (TrackEvent e : all) {
            events.merge(e.type(), 1, Integer::sum);
            if (e.snapshotJpeg() != null) {
                snapshotBytes += e.snapshotJpeg().length;
            }
        }
        double minutes = frames / 10.0 / 60.0;
        double meanSeconds = life.values().stream().mapToLong(l -> l[1] - l[0]).average().orElse(0) / 1000.0;
        double meanFrames = life.values().stream().mapToLong(l -> l[2]).average().orElse(0);
        long shortTracks = life.values().stream().filter(l -> l[1] - l[0] < 2_000).count();
        System.out.printf("sample video, region mode: %d frames (%.1f min), %d with inference, %d detector crops; "
                        + "%d confirmed tracks, mean %.1f s (%.1f matched frames), %d shorter than 2 s, %d recoveries from LOST; "
                        + "events %s = %.1f per minute, %d best pictures, %.1f kB mean; crops holding only stationary objects: %d of %d (%.1f%%); "
                        + "tracker %.3f ms per frame with inference (crops included)%n",
                frames, minutes, inferences, crops, life.size(), meanSeconds, meanFrames, shortTracks, lostAgain[0],
                events, all.size() / minutes, events.getOrDefault(TrackEvent.Type.END, 0),
                snapshotBytes / 1024.0 / Math.max(1, events.getOrDefault(TrackEvent.Type.END, 0)), stationaryOnlyCrops, crops,
                100.0 * stationaryOnlyCrops / Math.max(1, crops), trackerNanos / 1e6 / Math.max(1, inferences));
        System.out.printf("sample video, region mode: the skip-stationary rule would drop %d of %d crops and skip %d of %d "
                + "inferences%n", droppedCrops, crops, skippableFrames, inferences);
        sweep(recorded);
        assertEquals(795, frames);
        assertEquals(events.get(TrackEvent.Type.START), events.get(TrackEvent.Type.END));
        assertEquals(events.get(TrackEvent.Type.ENTER), events.get(TrackEvent.Type.LEAVE));
        // people cross the plaza in many seconds: the tracks must be far longer than the confirmation
        assertTrue("mean track " + meanSeconds + " s", meanSeconds >= 2.0);
    }

    /** The same detections through the tracker with other settings: confirmed tracks per class and how long. */
    private static void sweep(List<Detections> recorded) {
        TrackerSettings d = TrackerSettings.defaults();
        Map<String, TrackerSettings> variants = new java.util.LinkedHashMap<>();
        variants.put("defaults", d);
        variants.put("lost after 5 misses", d.withLostAfter(5, d.endAfterMillis()));
        variants.put("lost after 5, end after 6 s", d.withLostAfter(5, 6_000));
        variants.put("Person, Car only", d.withLabels(java.util.Set.of("Person", "Car")));
        variants.put("Person, Car; confirm 5", d.withLabels(java.util.Set.of("Person", "Car")).withConfirmHits(5));
        variants.put("confirm 5", d.withConfirmHits(5));
        for (Map.Entry<String, TrackerSettings> v : variants.entrySet()) {
            CameraTracker t = new CameraTracker("plaza", v.getValue(), List.of(), null);
            Map<String, int[]> byLabel = new java.util.TreeMap<>(); // label -> {tracks, shorter than 2 s}
            Map<Long, Long> started = new HashMap<>();
            java.util.function.Consumer<TrackEvent> sink = e -> {
                if (e.type() == TrackEvent.Type.END) {
                    byLabel.computeIfAbsent(e.label(), k -> new int[2])[0]++;
                }
                byLabel.computeIfAbsent(e.label(), k -> new int[2])[1]++;
            };
            for (int i = 0; i < recorded.size(); i++) {
                Detections x = recorded.get(i);
                if (x == null) {
                    t.idle(100L * i, sink);
                } else {
                    t.update(x, null, sink);
                }
            }
            t.endAll(sink);
            StringBuilder b = new StringBuilder();
            byLabel.forEach((k, c) -> b.append(k).append(": ").append(c[0]).append(" tracks, ").append(c[1]).append(" events; "));
            System.out.printf("sweep %-28s %s%n", v.getKey(), b);
        }
    }
}

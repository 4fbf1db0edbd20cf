package io.edgetune.tracker;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.edgetune.api.detect.Detection;
import io.edgetune.api.detect.Detections;
import io.edgetune.api.detect.DetectorService;
import io.edgetune.api.frame.Frame;
import io.edgetune.api.frame.FramePool;
import io.edgetune.api.motion.Region;
import io.edgetune.api.track.Track;
import io.edgetune.api.track.TrackedFrame;
import io.edgetune.inference.TestAssets;
import io.edgetune.inference.engine.DetectorSettings;
import io.edgetune.inference.engine.LoadedModel;
import io.edgetune.inference.regions.RegionModeDefaults;
import io.edgetune.inference.regions.StationaryCrops;
import io.edgetune.inference.regions.StillObjects;
import io.edgetune.testsupport.VideoFrames;
import io.edgetune.tracker.engine.CameraTracker;
import io.edgetune.tracker.engine.TrackerSettings;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

/**
 * The detector's skip-stationary decision (StillObjects + StationaryCrops, as DetectorComponent runs them)
 * with the real tracker on a busy scene of people standing still: one frame of the sample video repeated
 * for 30 s at 10 fps, a motion crop kept over every person it shows (as if they fidgeted). Prints the
 * inference saved for docs/evaluation.md.
 */
public class StationarySkipFiguresTest {

    @Test
    public void peopleStandingStillInMovingCrops() throws Exception {
        byte[] still = VideoFrames.bgr(300);
        try (LoadedModel model = TestAssets.loadModel("base")) {
            DetectorService det = TestAssets.detectorService(model, DetectorSettings.defaults().withScoreThreshold(0.4f));
            FramePool pool = new FramePool(1, VideoFrames.WIDTH, VideoFrames.HEIGHT);
            List<Region> crops = new ArrayList<>();
            Frame probe = VideoFrames.frame(pool, still, "plaza", 0, 0);
            try {
                for (Detection d : det.detect(probe, List.of()).detections()) {
                    if (d.label().equals("Person")) {
                        crops.add(grown(d));
                    }
                }
            } finally {
                probe.release();
            }
            assertTrue("frame 300 shows several people", crops.size() >= 5);
            int[] all = scene(det, pool, still, crops, "every person fidgets");
            int[] three = scene(det, pool, still, crops.subList(0, 3), "three of them fidget");
            // the rule acts: crops over people the tracker holds as stationary are dropped
            assertTrue("crops dropped: " + all[2], all[2] > 0);
            // where every crop is over a stationary person only the refresh passes remain, give or take the first seconds
            assertTrue("inferences with three fidgeting " + three[0], three[0] < FRAMES / 2);
        }
    }

    private static final int FRAMES = 300;

    /** @return {inferences, skipped, crops dropped, stationary Person tracks at the end} */
    private static int[] scene(DetectorService det, FramePool pool, byte[] still, List<Region> crops, String name) throws Exception {
        int every = RegionModeDefaults.FULLFRAME_EVERY;
        // stationary after 2 s instead of 10 s, so that most of the 30 s shows the steady state
        TrackerSettings s = TrackerSettings.defaults().withStationaryAfterMillis(2_000);
        CameraTracker tracker = new CameraTracker("plaza", s, List.of(), null);
        StillObjects stills = new StillObjects(every);
        TrackedFrame last = null;
        int inferences = 0, skipped = 0, fullFrame = 0, dropped = 0, passes = 0;
        for (int i = 1; i <= FRAMES; i++) {
            Frame f = VideoFrames.frame(pool, still, "plaza", i, 100L * i);
            try {
                List<Region> run = stills.regionsToRun(crops);
                if (!run.isEmpty() && last != null) {
                    List<Region> kept = StationaryCrops.keep(run, last.tracks());
                    dropped += run.size() - kept.size();
                    run = kept;
                    if (run.isEmpty()) {
                        stills.skipped();
                        skipped++;
                        continue;
                    }
                }
                Detections d = det.detect(f, run);
                inferences++;
                boolean full = d.mode() == Detections.Mode.FULL_FRAME;
                fullFrame += full ? 1 : 0;
                List<Detection> reported = stills.update(f.width(), f.height(), crops, full, d.regions(), d.detections());
                Detections out = new Detections(d.cameraId(), d.frameSequence(), d.frameTimestampMillis(), d.captureNanos(),
                        d.modelVersion(), d.backend(), d.mode(), d.regions(), reported, d.inferenceNanos(), d.totalNanos());
                last = tracker.update(out, f, e -> { });
            } finally {
                f.release();
            }
        }
        int people = 0;
        StringBuilder kept = new StringBuilder();
        for (Track t : last.tracks()) {
            if (t.label().equals("Person") && t.state() == Track.State.STATIONARY) {
                people++;
            }
        }
        for (Region r : StationaryCrops.keep(crops, last.tracks())) {
            kept.append(r).append(' ');
        }
        System.out.printf("busy scene of people standing still, %s: %d frames, %d motion crops each, full frame every %d: "
                        + "%d inferences (%d full-frame), %d skipped: stationary (%.0f%% of the inferences saved), %d crops dropped; "
                        + "%d stationary Person tracks at the end; crops still run at the end: %s%n",
                name, FRAMES, crops.size(), every, inferences, fullFrame, skipped, 100.0 * skipped / FRAMES, dropped, people, kept);
        assertEquals(FRAMES, inferences + skipped);
        // the people stay tracked on the refresh passes alone
        assertTrue("stationary people tracked at the end: " + people, people >= 1);
        return new int[] {inferences, skipped, dropped, people};
    }

    private static Region grown(Detection d) {
        int x = Math.max(0, Math.round(d.x() - d.width() * 0.1f));
        int y = Math.max(0, Math.round(d.y() - d.height() * 0.1f));
        int r = Math.min(VideoFrames.WIDTH, Math.round(d.right() + d.width() * 0.1f));
        int b = Math.min(VideoFrames.HEIGHT, Math.round(d.bottom() + d.height() * 0.1f));
        return new Region(x, y, r - x, b - y);
    }
}

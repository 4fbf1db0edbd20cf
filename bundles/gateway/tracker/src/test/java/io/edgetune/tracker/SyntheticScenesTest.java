package io.edgetune.tracker;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.edgetune.api.detect.Detections;
import io.edgetune.api.detect.DetectorService;
import io.edgetune.api.frame.Frame;
import io.edgetune.api.frame.FramePool;
import io.edgetune.api.track.Track;
import io.edgetune.api.track.TrackedFrame;
import io.edgetune.inference.TestAssets;
import io.edgetune.inference.engine.DetectorSettings;
import io.edgetune.inference.engine.LoadedModel;
import io.edgetune.testsupport.VideoFrames;
import io.edgetune.tracker.engine.CameraTracker;
import io.edgetune.tracker.engine.TrackerSettings;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

/**
 * The tracker against ground truth: six people cut from the sample video walk
 * known straight paths over its background for 15 s (10 fps), two pairs
 * crossing (one occludes the other), one standing still, one arriving late;
 * the real model detects on each rendered frame (full frame), the tracker
 * follows, and the CLEAR MOT and identity scores are computed for people.
 * Figures in docs/evaluation.md.
 */
public class SyntheticScenesTest {

    private static final int FRAMES = 150;

    @Test
    public void peopleOnKnownPathsAreTrackedWithFewIdentitySwitches() throws Exception {
        byte[] bg = SyntheticScenes.background();
        List<SyntheticScenes.Sprite> s = SyntheticScenes.sprites(SampleVideo.detections(300), bg, 6);
        assertEquals("six clean cut-outs from the sample video", 6, s.size());
        List<SyntheticScenes.Path> paths = List.of(
                // a pair crossing head-on at the same height: the second occludes the first
                new SyntheticScenes.Path(s.get(0), 0, 149, 40, 330, 560, 340),
                new SyntheticScenes.Path(s.get(1), 0, 149, 600, 335, 60, 325),
                // standing still the whole time
                new SyntheticScenes.Path(s.get(2), 0, 149, 620, 60, 620, 60),
                // a diagonal and a vertical path that cross
                new SyntheticScenes.Path(s.get(3), 0, 120, 60, 40, 360, 300),
                new SyntheticScenes.Path(s.get(4), 10, 149, 260, 400, 240, 20),
                // arrives late, walks along the bottom
                new SyntheticScenes.Path(s.get(5), 60, 149, 700 - s.get(5).w(), 560 - s.get(5).h(), 100, 560 - s.get(5).h()));
        MotScore score = new MotScore();
        TrackerSettings ts = TrackerSettings.defaults();
        CameraTracker tracker = new CameraTracker("synthetic", ts, List.of(), null);
        FramePool pool = new FramePool(1, VideoFrames.WIDTH, VideoFrames.HEIGHT);
        long trackerNanos = 0;
        try (LoadedModel model = TestAssets.loadModel("base")) {
            DetectorService det = TestAssets.detectorService(model, DetectorSettings.defaults()
                    .withMode(Detections.Mode.FULL_FRAME).withScoreThreshold(SampleVideo.DETECTOR_THRESHOLD));
            for (int f = 0; f < FRAMES; f++) {
                Frame frame = VideoFrames.frame(pool, SyntheticScenes.render(bg, paths, f), "synthetic", f, 100L * f);
                try {
                    Detections d = det.detect(frame, List.of());
                    long t0 = System.nanoTime();
                    TrackedFrame tf = tracker.update(d, frame, e -> { });
                    trackerNanos += System.nanoTime() - t0;
                    List<MotScore.Box> hyp = new ArrayList<>();
                    for (Track t : tf.tracks()) {
                        if ("Person".equals(t.label()) && (t.state() == Track.State.ACTIVE || t.state() == Track.State.STATIONARY)) {
                            hyp.add(new MotScore.Box(t.trackId(), t.x(), t.y(), t.width(), t.height()));
                        }
                    }
                    score.frame(SyntheticScenes.truth(paths, f), hyp);
                    String dump = System.getProperty("edgetune.synthetic.dump");
                    if (dump != null && f % 30 == 0) {
                        // -Dedgetune.synthetic.dump=DIR writes every 30th rendered frame, to look at the scene
                        try (org.bytedeco.javacpp.IntPointer q = new org.bytedeco.javacpp.IntPointer(
                                org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY, 80)) {
                            java.nio.file.Files.write(java.nio.file.Path.of(dump, "synthetic-" + f + ".jpg"),
                                    io.edgetune.tracker.engine.JpegCrops.frameJpeg(frame, q));
                        }
                    }
                } finally {
                    frame.release();
                }
            }
        }
        MotScore.Result r = score.score();
        System.out.printf("synthetic scene, %d frames: %s; tracker %.3f ms per frame (no crops)%n", FRAMES, r,
                trackerNanos / 1e6 / FRAMES);
        assertTrue(r.toString(), r.mota() >= 0.5);
        assertTrue(r.toString(), r.idf1() >= 0.6);
        assertTrue(r.toString(), r.idSwitches() <= 6);
    }

    @Test
    public void theScoresSeeAnIdentitySwapAndMisses() {
        // two objects swap ids halfway: one switch each, identity recall halves
        MotScore s = new MotScore();
        for (int f = 0; f < 10; f++) {
            List<MotScore.Box> gt = List.of(new MotScore.Box(1, 0, 0, 10, 10), new MotScore.Box(2, 100, 0, 10, 10));
            boolean swapped = f >= 5;
            s.frame(gt, List.of(new MotScore.Box(swapped ? 8 : 7, 0, 0, 10, 10), new MotScore.Box(swapped ? 7 : 8, 100, 0, 10, 10)));
        }
        MotScore.Result r = s.score();
        assertEquals(2, r.idSwitches());
        assertEquals(1 - 2 / 20.0, r.mota(), 1e-9);
        assertEquals(0.5, r.idf1(), 1e-9);
        // nothing found: every box a miss
        MotScore none = new MotScore();
        none.frame(List.of(new MotScore.Box(1, 0, 0, 10, 10)), List.of());
        none.frame(List.of(new MotScore.Box(1, 0, 0, 10, 10)), List.of(new MotScore.Box(3, 50, 50, 10, 10)));
        MotScore.Result n = none.score();
        assertEquals(2, n.misses());
        assertEquals(1, n.falsePositives());
        assertEquals(1 - 3 / 2.0, n.mota(), 1e-9);
        assertEquals(0, n.idf1(), 1e-9);
    }
}

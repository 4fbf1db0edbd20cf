package io.edgetune.motion.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.bytedeco.opencv.global.opencv_core.countNonZero;

import io.edgetune.motion.engine.MaskPolygon;
import io.edgetune.motion.engine.MotionEngine;
import io.edgetune.motion.engine.MotionSettings;
import io.edgetune.api.motion.MotionResult;
import io.edgetune.api.motion.MotionResult.State;
import io.edgetune.api.motion.Region;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.junit.Test;

/** The motion engine on the real sample video (vtest.avi, 768x576, people walking across a plaza). */
public class MotionEngineVideoTest {

    /**
     * Walkers checked by hand on debug PNGs of frames 200, 400 and 560
     * (MotionSnapshotTool, MOG2 defaults): full-frame pixel boxes
     * (x0, y0, x1, y1) around each person who walks in that frame. People
     * standing still (two at the top right of frame 200, one by the tripod in
     * frame 560) are left out: no motion is expected there.
     */
    static final Map<Integer, int[][]> WALKERS = Map.of(
            200, new int[][] {{80, 150, 110, 215}, {215, 190, 250, 270}, {487, 145, 515, 220}, {615, 275, 650, 370}, {705, 250, 745, 355}},
            400, new int[][] {{275, 203, 305, 285}, {590, 130, 615, 200}, {690, 300, 745, 410}},
            560, new int[][] {{80, 170, 110, 240}, {380, 155, 410, 235}, {585, 160, 615, 235}, {170, 355, 245, 530}});

    private static Map<Integer, MotionResult> run(MotionSettings settings, int last) throws Exception {
        Map<Integer, MotionResult> results = new HashMap<>();
        try (MotionEngine engine = new MotionEngine(settings)) {
            SampleVideo.each(0, last, (frame, image) -> results.put((int) frame.sequence(), engine.process(frame)));
        }
        return results;
    }

    @Test
    public void aStaticSceneGivesNoRegionsAfterWarmup() throws Exception {
        for (MotionSettings.Model model : MotionSettings.Model.values()) {
            MotionSettings s = MotionSettings.defaults().withModel(model);
            List<State> states = new ArrayList<>();
            try (MotionEngine engine = new MotionEngine(s); SampleVideo video = new SampleVideo()) {
                // the first frame of the video, shown again and again: a camera on a scene where nothing moves
                video.next();
                for (int i = 0; i < s.warmupFrames() + 40; i++) {
                    MotionResult r = engine.process(video.frame());
                    states.add(r.state());
                    assertTrue(model + " frame " + i + ": " + r.regions(), r.regions().isEmpty());
                    assertFalse(r.needsInference());
                }
            }
            for (int i = 0; i < states.size(); i++) {
                assertEquals(model + " frame " + i, i < s.warmupFrames() ? State.WARMUP : State.STATIC, states.get(i));
            }
        }
    }

    @Test
    public void walkersAreCoveredByRegions() throws Exception {
        for (MotionSettings.Model model : MotionSettings.Model.values()) {
            Map<Integer, MotionResult> results = run(MotionSettings.defaults().withModel(model), 560);
            for (Map.Entry<Integer, int[][]> e : WALKERS.entrySet()) {
                MotionResult r = results.get(e.getKey());
                assertEquals(model + " frame " + e.getKey(), State.MOTION, r.state());
                for (int[] b : e.getValue()) {
                    int cx = (b[0] + b[2]) / 2;
                    int cy = (b[1] + b[3]) / 2;
                    boolean covered = r.regions().stream().anyMatch(g -> g.x() <= cx && cx < g.right() && g.y() <= cy && cy < g.bottom());
                    assertTrue(model + " frame " + e.getKey() + ": walker " + java.util.Arrays.toString(b) + " not in " + r.regions(), covered);
                }
            }
        }
    }

    @Test
    public void mog2CropsHugTheWalkersRatherThanTheWholeFrame() throws Exception {
        Map<Integer, MotionResult> results = run(MotionSettings.defaults(), 400);
        MotionResult r = results.get(400);
        assertFalse(r.fullFrame());
        assertEquals(3, r.regions().size());
        for (int[] b : WALKERS.get(400)) {
            Region walker = new Region(b[0], b[1], b[2] - b[0], b[3] - b[1]);
            // the whole walker is inside one crop, and the crop is square and at least the minimum size
            Region crop = r.regions().stream().filter(g -> g.intersectionArea(walker) == walker.area()).findFirst()
                    .orElseThrow(() -> new AssertionError("walker " + walker + " not inside one of " + r.regions()));
            assertEquals(crop.width(), crop.height());
            assertTrue(crop.width() >= MotionSettings.defaults().minCropSize());
        }
    }

    @Test
    public void masksSuppressWhatTheyCover() throws Exception {
        // the right 15% of the frame (x >= 653 px), where one walker of frame 400 is (690..745, 300..410)
        List<MaskPolygon> masks = MaskPolygon.parse("0.85,0 1,0 1,1 0.85,1");
        MotionSettings s = MotionSettings.defaults().withMasks(masks);
        try (MotionEngine engine = new MotionEngine(s)) {
            SampleVideo.each(0, 400, (frame, image) -> {
                MotionResult r = engine.process(frame);
                if (frame.sequence() > s.warmupFrames()) {
                    Mat mask = engine.lastMask();
                    int x0 = (int) Math.ceil(0.85 * mask.cols()) + 1;
                    try (Mat masked = mask.apply(new Rect(x0, 0, mask.cols() - x0, mask.rows()))) {
                        assertEquals("frame " + frame.sequence() + " has motion under the mask", 0, countNonZero(masked));
                    }
                    for (Region a : engine.lastMovingAreas()) {
                        assertTrue("frame " + frame.sequence() + ": moving area " + a + " inside the mask", a.x() < 0.85 * 768);
                    }
                }
                if (frame.sequence() == 400) {
                    Region masked = new Region(690, 300, 55, 110);
                    assertTrue(r.regions().stream().noneMatch(g -> g.intersectionArea(masked) == masked.area()));
                    // the other two walkers are still found
                    assertEquals(2, r.regions().size());
                }
            });
        }
    }

    @Test
    public void aLightingJumpResetsTheBackgroundInsteadOfFloodingTheFrame() throws Exception {
        for (MotionSettings.Model model : MotionSettings.Model.values()) {
            MotionSettings s = MotionSettings.defaults().withModel(model);
            List<MotionResult> after = new ArrayList<>();
            try (MotionEngine engine = new MotionEngine(s)) {
                SampleVideo.each(0, 420, (frame, image) -> {
                    if (frame.sequence() >= 300) {
                        // the lights go up by 60% from frame 300 on
                        image.convertTo(image, -1, 1.6, 0);
                    }
                    MotionResult r = engine.process(frame);
                    if (frame.sequence() >= 300) {
                        after.add(r);
                    }
                });
            }
            assertEquals(model.toString(), State.LIGHTING_RESET, after.get(0).state());
            for (int i = 0; i < after.size(); i++) {
                MotionResult r = after.get(i);
                // a flood would be most of the frame; walkers are a few percent
                assertTrue(model + " frame " + (300 + i) + " flooded: " + r.motionRatio(),
                        r.state() == State.LIGHTING_RESET || r.motionRatio() < 0.1);
            }
            // and motion is found again once the background is relearnt
            assertTrue(after.subList(s.relearnFrames() + 1, after.size()).stream().filter(r -> r.state() == State.MOTION).count() > 100);
        }
    }

    @Test
    public void withoutTheLightingGuardTheSameJumpFloodsTheFrame() throws Exception {
        MotionSettings d = MotionSettings.defaults().withModel(MotionSettings.Model.RUNNING_AVERAGE);
        // lighting.change and global.change so high they never trigger: what the guard prevents
        MotionSettings unguarded = new MotionSettings(d.model(), d.processHeight(), d.blurSize(), d.mog2History(),
                d.mog2VarThreshold(), d.averageAlpha(), d.deltaThreshold(), d.morphSize(), d.warmupFrames(), d.minArea(),
                1000, 1.0, d.relearnFrames(), d.cropAspect(), d.minCropSize(), d.cropPadding(), d.maxRegions(),
                d.fullFrameFraction(), List.of(), d.stabilize(), d.maxShake());
        double[] ratio = new double[1];
        boolean[] full = new boolean[1];
        try (MotionEngine engine = new MotionEngine(unguarded)) {
            SampleVideo.each(0, 300, (frame, image) -> {
                if (frame.sequence() >= 300) {
                    image.convertTo(image, -1, 1.6, 0);
                }
                MotionResult r = engine.process(frame);
                ratio[0] = r.motionRatio();
                full[0] = r.fullFrame();
            });
        }
        assertTrue("ratio " + ratio[0], ratio[0] > 0.3);
        assertTrue(full[0]);
    }

    /** Mean motion ratio over frames 300..400 when the camera shakes (frames moved 12 px right and 6 down, then as far left and up) from frame 300 on. */
    private static double shakenMotionRatio(MotionSettings s, boolean shake) throws Exception {
        return shakenMotionRatio(s, shake, new long[2]);
    }

    /** As above; {@code correlations} receives the phase correlations run on frames 0..299 and 300..400. */
    private static double shakenMotionRatio(MotionSettings s, boolean shake, long[] correlations) throws Exception {
        double[] sum = new double[1];
        try (MotionEngine engine = new MotionEngine(s); Mat shift = new Mat(2, 3, org.bytedeco.opencv.global.opencv_core.CV_64F);
             Mat moved = new Mat()) {
            java.nio.DoubleBuffer m = shift.createBuffer();
            SampleVideo.each(0, 400, (frame, image) -> {
                if (shake && frame.sequence() >= 300) {
                    int dir = frame.sequence() % 2 == 0 ? 1 : -1;
                    m.put(0, 1).put(1, 0).put(2, 12.0 * dir).put(3, 0).put(4, 1).put(5, 6.0 * dir);
                    org.bytedeco.opencv.global.opencv_imgproc.warpAffine(image, moved, shift, image.size(),
                            org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR, org.bytedeco.opencv.global.opencv_core.BORDER_REPLICATE,
                            new org.bytedeco.opencv.opencv_core.Scalar(0.0));
                    moved.copyTo(image);
                }
                if (frame.sequence() == 300) {
                    correlations[0] = engine.phaseCorrelations();
                }
                MotionResult r = engine.process(frame);
                if (frame.sequence() >= 300) {
                    sum[0] += r.motionRatio();
                }
            });
            correlations[1] = engine.phaseCorrelations() - correlations[0];
        }
        return sum[0] / 101;
    }

    @Test
    public void stabilisationKeepsCameraShakeFromLookingLikeMotion() throws Exception {
        double still = shakenMotionRatio(MotionSettings.defaults(), false);
        double shakenStabilised = shakenMotionRatio(MotionSettings.defaults(), true);
        double shakenRaw = shakenMotionRatio(MotionSettings.defaults().withStabilize(false), true);
        System.out.printf("mean motion ratio, frames 300..400: still %.4f, shaking+stabilised %.4f, shaking unstabilised %.4f%n",
                still, shakenStabilised, shakenRaw);
        assertTrue("unstabilised shake should look like motion: " + shakenRaw, shakenRaw > 3 * still);
        // measured here: still 0.027, stabilised 0.044, unstabilised 0.082: alignment removes most, not all, of the shake
        assertTrue("stabilised shake " + shakenStabilised + " vs still " + still,
                shakenStabilised - still < 0.5 * (shakenRaw - still));
    }

    @Test
    public void stabilisationMeasuresTheShiftOnlyWhenTheFrameMoved() throws Exception {
        long[] correlations = new long[2];
        shakenMotionRatio(MotionSettings.defaults(), true, correlations);
        System.out.printf("phase correlations: %d of 299 still frames, %d of 101 shaken frames%n", correlations[0], correlations[1]);
        // people walk through every still frame; the profile test must not take them for a shift
        assertTrue("still frames correlated: " + correlations[0], correlations[0] <= 15);
        // every shaken frame is moved by 2 x 1 processing pixels against the reference
        assertTrue("shaken frames correlated: " + correlations[1], correlations[1] >= 95);
    }

    @Test
    public void resetStartsAnotherWarmup() throws Exception {
        MotionSettings s = MotionSettings.defaults();
        List<State> states = new ArrayList<>();
        try (MotionEngine engine = new MotionEngine(s)) {
            SampleVideo.each(0, 100, (frame, image) -> {
                if (frame.sequence() == 60) {
                    engine.reset();
                }
                states.add(engine.process(frame).state());
            });
        }
        assertEquals(State.MOTION, states.get(59));
        for (int i = 60; i < 60 + s.warmupFrames(); i++) {
            assertEquals("frame " + i, State.WARMUP, states.get(i));
        }
        assertEquals(State.MOTION, states.get(100));
    }
}

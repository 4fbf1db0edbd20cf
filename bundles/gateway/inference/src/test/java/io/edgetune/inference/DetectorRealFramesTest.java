package io.edgetune.inference;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.edgetune.api.detect.Detection;
import io.edgetune.api.detect.Detections;
import io.edgetune.api.frame.Frame;
import io.edgetune.api.frame.FramePool;
import io.edgetune.api.motion.Region;
import io.edgetune.inference.engine.DetectorSettings;
import io.edgetune.inference.engine.EngineOptions;
import io.edgetune.inference.engine.LoadedModel;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/** The real model on real frames of vtest.avi: boxes must land on the hand-checked people. */
public class DetectorRealFramesTest {

    private static LoadedModel model;
    private static FramePool pool;
    private static final DetectorSettings FULL = DetectorSettings.defaults().withMode(Detections.Mode.FULL_FRAME).withScoreThreshold(0.4f);

    @BeforeClass
    public static void load() throws Exception {
        model = LoadedModel.load(TestAssets.descriptor("test"), TestAssets.model(), null, "javacpp", EngineOptions.cpu(2));
        pool = new FramePool(2, TestAssets.WIDTH, TestAssets.HEIGHT);
    }

    @AfterClass
    public static void close() {
        model.close();
    }

    private static Detections run(int index, List<Region> regions, DetectorSettings s) throws Exception {
        return run(index, regions, s, io.edgetune.inference.regions.RegionPacker.DEFAULT);
    }

    private static Detections run(int index, List<Region> regions, DetectorSettings s,
                                  io.edgetune.inference.regions.RegionPacker packer) throws Exception {
        byte[] bgr = TestAssets.frames(index).get(index);
        Frame f = TestAssets.frame(pool, "cam1", index, bgr);
        try {
            Detections d = model.detect(f, regions, s, packer);
            Render.png(f, d.detections(), s.mode() == Detections.Mode.REGIONS ? regions : List.of(),
                    Paths.get("target/detections/" + s.mode().name().toLowerCase() + "-" + index + ".png"));
            return d;
        } finally {
            f.release();
        }
    }

    @Test
    public void personsWalkingInFrame300AreFoundWithBoxesOnThem() throws Exception {
        Detections d = run(300, List.of(), FULL);
        assertEquals("cam1", d.cameraId());
        assertEquals(300, d.frameSequence());
        assertEquals("test", d.modelVersion());
        assertEquals(Detections.Mode.FULL_FRAME, d.mode());
        assertTrue(d.inferenceNanos() > 0 && d.totalNanos() >= d.inferenceNanos());
        for (int[] hand : Boxes.FRAME_300) {
            float iou = Boxes.bestIou(hand, d.detections());
            assertTrue("no person box on hand-checked person " + java.util.Arrays.toString(hand) + " (best IoU " + iou + "): "
                    + d.detections(), iou > 0.5f);
        }
        // nobody walks on the lawn in the lower third: no person there
        for (Detection det : d.detections()) {
            assertFalse("person on the empty lawn: " + det, "Person".equals(det.label()) && det.y() > 400);
        }
    }

    @Test
    public void personsInFrame500AreFound() throws Exception {
        Detections d = run(500, List.of(), FULL);
        for (int[] hand : Boxes.FRAME_500) {
            assertTrue("missed " + java.util.Arrays.toString(hand) + ": " + d.detections(), Boxes.bestIou(hand, d.detections()) > 0.5f);
        }
    }

    @Test
    public void allowListAndThresholdFilter() throws Exception {
        Detections all = run(300, List.of(), FULL);
        assertTrue(all.detections().stream().anyMatch(x -> !x.label().equals("Person")));
        Detections persons = run(300, List.of(), FULL.withAllowedLabels(Set.of("Person")));
        assertFalse(persons.detections().isEmpty());
        assertTrue(persons.detections().stream().allMatch(x -> x.label().equals("Person")));
        Detections strict = run(300, List.of(), FULL.withScoreThreshold(0.5f));
        assertTrue(strict.detections().stream().allMatch(x -> x.score() >= 0.5f));
        assertTrue(strict.detections().size() < all.detections().size());
        // sorted best first and no two boxes of one class overlap beyond the NMS IoU
        List<Detection> l = all.detections();
        for (int i = 0; i < l.size(); i++) {
            if (i > 0) {
                assertTrue(l.get(i - 1).score() >= l.get(i).score());
            }
            for (int j = i + 1; j < l.size(); j++) {
                if (l.get(i).classId() == l.get(j).classId()) {
                    assertTrue(l.get(i).iou(l.get(j)) <= 0.5f);
                }
            }
        }
    }

    @Test
    public void overlappingCropsReportEachPersonOnce() throws Exception {
        // three crops over the same group of people, shifted against each other
        List<Region> crops = List.of(new Region(150, 110, 240, 210), new Region(170, 120, 240, 210), new Region(230, 140, 160, 170));
        DetectorSettings persons = FULL.withMode(Detections.Mode.REGIONS).withAllowedLabels(Set.of("Person"));
        Detections d = run(300, crops, persons);
        assertEquals(3, d.regions().size());
        int[][] group = {Boxes.FRAME_300[0], Boxes.FRAME_300[1], Boxes.FRAME_300[2], Boxes.FRAME_300[3]};
        for (int[] hand : group) {
            long hits = d.detections().stream().filter(x -> x.iou(Boxes.box(hand)) > 0.3f).count();
            assertEquals("person " + java.util.Arrays.toString(hand) + " reported " + hits + " times: " + d.detections(), 1, hits);
        }
    }

    @Test
    public void regionModeFindsSmallPeopleThatFullFrameMisses() throws Exception {
        int[] frames = {100, 200, 300, 400, 500, 600};
        int gap = 8;
        int[] all = new int[frames.length * 2];
        for (int i = 0; i < frames.length; i++) {
            all[2 * i] = frames[i] - gap;
            all[2 * i + 1] = frames[i];
        }
        Map<Integer, byte[]> bgr = TestAssets.frames(all);
        DetectorSettings regions = FULL.withMode(Detections.Mode.REGIONS).withScoreThreshold(0.5f).withAllowedLabels(Set.of("Person"));
        DetectorSettings full = FULL.withScoreThreshold(0.5f).withAllowedLabels(Set.of("Person"));
        int fullCount = 0;
        int regionCount = 0;
        int crops = 0;
        for (int f : frames) {
            List<Region> motion = MotionCrops.between(bgr.get(f - gap), bgr.get(f), TestAssets.WIDTH, TestAssets.HEIGHT);
            // one pass per crop, however large (the default packing would run some of these frames whole)
            Detections r = run(f, motion, regions, new io.edgetune.inference.regions.RegionPacker(64, false));
            Detections w = run(f, List.of(), full);
            assertEquals(Detections.Mode.REGIONS, r.mode());
            crops += motion.size();
            fullCount += w.detections().size();
            regionCount += r.detections().size();
            System.out.printf("frame %d: %d motion crops, persons >= 0.5: full frame %d, regions %d%n",
                    f, motion.size(), w.detections().size(), r.detections().size());
            if (f == 300) {
                // the big crop over the group in the middle is shrunk 2.6x, so one of the six may score under 0.5 there
                int found = 0;
                for (int[] hand : Boxes.FRAME_300) {
                    found += Boxes.bestIou(hand, r.detections()) > 0.4f ? 1 : 0;
                }
                assertTrue("region mode found only " + found + " of 6 hand-checked people: " + r.detections(), found >= 5);
            }
        }
        // box counts say little about quality: people found (IoU against teacher boxes, real motion stage) are judged
        // by benchmarks/evaluation RegionModeQualityTest; here only the hand-checked frame 300 is asserted
        System.out.printf("total over %d frames: %d crops, persons full frame %d, regions %d%n", frames.length, crops, fullCount, regionCount);
    }

    @Test
    public void mosaicOfCropsFindsThePeopleInOnePass() throws Exception {
        // a 160 px crop around each of four hand-checked people of frame 300: one pass of four quarters
        DetectorSettings regions = FULL.withMode(Detections.Mode.REGIONS).withScoreThreshold(0.4f).withAllowedLabels(Set.of("Person"));
        int[][] people = {Boxes.FRAME_300[0], Boxes.FRAME_300[3], Boxes.FRAME_300[4], Boxes.FRAME_300[5]};
        List<Region> crops = new java.util.ArrayList<>();
        for (int[] p : people) {
            crops.add(new Region(Math.max(0, p[0] + p[2] / 2 - 80), Math.max(0, p[1] + p[3] / 2 - 80), 160, 160));
        }
        byte[] bgr = TestAssets.frames(300).get(300);
        Frame f = TestAssets.frame(pool, "cam1", 300, bgr);
        try {
            assertEquals(1, model.plan(f, crops, regions, io.edgetune.inference.regions.RegionPacker.DEFAULT).size());
            Detections d = model.detect(f, crops, regions);
            assertEquals(Detections.Mode.REGIONS, d.mode());
            assertEquals(4, d.regions().size());
            for (int[] hand : people) {
                float iou = Boxes.bestIou(hand, d.detections());
                assertTrue("mosaic missed " + java.util.Arrays.toString(hand) + " (best IoU " + iou + "): " + d.detections(), iou > 0.5f);
            }
            // every box stays inside its own crop: none spans two quarters of the mosaic
            for (Detection det : d.detections()) {
                assertTrue("box outside every crop: " + det, crops.stream().anyMatch(c -> det.x() >= c.x() - 1 && det.y() >= c.y() - 1
                        && det.right() <= c.right() + 1 && det.bottom() <= c.bottom() + 1));
            }
        } finally {
            f.release();
        }
    }
}

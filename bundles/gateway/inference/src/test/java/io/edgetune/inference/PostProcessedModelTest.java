package io.edgetune.inference;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.edgetune.api.detect.Detection;
import io.edgetune.api.detect.Detections;
import io.edgetune.api.frame.Frame;
import io.edgetune.api.frame.FramePool;
import io.edgetune.api.model.ModelDescriptor;
import io.edgetune.inference.engine.DetectorSettings;
import io.edgetune.inference.engine.EngineOptions;
import io.edgetune.inference.engine.LoadedModel;
import io.edgetune.modelpackage.LabelFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A model that ends in TFLite_Detection_PostProcess (the real SSD with the op appended, as the TF OD API export
 * does it) with a Coral-style label file: the engine must find the same people on real frames as the raw-output
 * path of the same weights, with the same labels.
 */
public class PostProcessedModelTest {

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    private static LoadedModel raw;
    private static LoadedModel post;
    private static FramePool pool;
    private static List<String> coralLabels;

    @BeforeClass
    public static void load() throws Exception {
        Path file = tmp.getRoot().toPath().resolve("ssd_postprocess.tflite");
        Files.write(file, PostProcessedModel.build(Packages.realModel(), 50, 0.3f, 0.5f));
        // Coral style: "id label", ids without background (the base label map's line i is id i - 1)
        List<String> base = TestAssets.labels();
        List<String> lines = new ArrayList<>();
        for (int i = 1; i < base.size(); i++) {
            lines.add((i - 1) + " " + base.get(i));
        }
        coralLabels = LabelFile.parse(lines);
        ModelDescriptor d = new ModelDescriptor("post", "", coralLabels, 300, 300, "ssd-mobilenet-v2:300", null, Map.of(), 0L, false);
        post = LoadedModel.load(d, file, null, "javacpp", EngineOptions.cpu(2));
        raw = TestAssets.loadModel("raw");
        pool = new FramePool(2, TestAssets.WIDTH, TestAssets.HEIGHT);
    }

    @AfterClass
    public static void close() {
        if (post != null) {
            post.close();
        }
        if (raw != null) {
            raw.close();
        }
    }

    @Test
    public void coralLabelsMapToTheSameClassIds() throws Exception {
        assertEquals(TestAssets.labels().subList(1, TestAssets.labels().size()), coralLabels.subList(1, coralLabels.size()));
        assertEquals("???", coralLabels.get(0));
        assertTrue(post.engine().postProcessed());
        assertEquals(50, post.engine().anchorCount());
    }

    @Test
    public void findsTheSamePeopleAsTheRawOutputPath() throws Exception {
        DetectorSettings full = DetectorSettings.defaults().withMode(Detections.Mode.FULL_FRAME).withScoreThreshold(0.4f);
        int people = 0;
        for (int index : new int[] {300, 500, 700}) {
            Frame f = TestAssets.frame(pool, "cam1", index, TestAssets.frames(index).get(index));
            try {
                Detections r = raw.detect(f, List.of(), full);
                Detections p = post.detect(f, List.of(), full);
                for (Detection a : r.detections()) {
                    if (!"Person".equals(a.label()) || a.score() < 0.5f) {
                        continue;
                    }
                    people++;
                    Detection best = null;
                    for (Detection b : p.detections()) {
                        if (b.classId() == a.classId() && (best == null || b.iou(a) > best.iou(a))) {
                            best = b;
                        }
                    }
                    assertTrue("frame " + index + ": raw path's " + a + " not found by the post-processing model: " + p.detections(),
                            best != null && best.iou(a) > 0.9f && Math.abs(best.score() - a.score()) < 0.01f);
                    assertEquals("Person", best.label());
                }
            } finally {
                f.release();
            }
        }
        assertTrue("too few people to compare: " + people, people >= 6);
    }

    @Test
    public void handCheckedPeopleOfFrame300AreFound() throws Exception {
        Frame f = TestAssets.frame(pool, "cam1", 300, TestAssets.frames(300).get(300));
        try {
            Detections d = post.detect(f, List.of(), DetectorSettings.defaults().withMode(Detections.Mode.FULL_FRAME).withScoreThreshold(0.4f));
            for (int[] hand : Boxes.FRAME_300) {
                assertTrue("missed " + java.util.Arrays.toString(hand) + ": " + d.detections(), Boxes.bestIou(hand, d.detections()) > 0.5f);
            }
        } finally {
            f.release();
        }
    }
}

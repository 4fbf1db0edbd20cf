package io.edgetune.inference.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.edgetune.inference.engine.LoadedModel;
import io.edgetune.inference.engine.DetectorSettings;
import io.edgetune.inference.engine.EngineOptions;
import io.edgetune.inference.engine.EngineException;
import io.edgetune.api.detect.Detection;
import io.edgetune.api.detect.Detections;
import io.edgetune.api.frame.Frame;
import io.edgetune.api.frame.FramePool;
import io.edgetune.api.model.ModelDescriptor;
import io.edgetune.inference.TestAssets;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/** Per-class score thresholds from the model manifest ("threshold.{label}") on a real frame of vtest.avi. */
public class ClassThresholdTest {

    private static final int FRAME = 300;

    private static ModelDescriptor withMetrics(Map<String, Double> metrics) throws Exception {
        ModelDescriptor d = TestAssets.descriptor("thresholds");
        return new ModelDescriptor(d.version(), d.sha256(), d.labels(), d.inputWidth(), d.inputHeight(), d.anchors(),
                null, metrics, 0L, false);
    }

    private static List<Detection> detect(ModelDescriptor d, float configured) throws Exception {
        FramePool pool = new FramePool(1, TestAssets.WIDTH, TestAssets.HEIGHT);
        Frame f = TestAssets.frame(pool, "plaza", FRAME, TestAssets.frames(FRAME).get(FRAME));
        DetectorSettings s = DetectorSettings.defaults().withMode(Detections.Mode.FULL_FRAME).withScoreThreshold(configured);
        try (LoadedModel m = LoadedModel.load(d, TestAssets.model(), null, "javacpp", EngineOptions.cpu(2))) {
            return m.detect(f, List.of(), s).detections();
        } finally {
            f.release();
        }
    }

    private static long count(List<Detection> ds, String label) {
        return ds.stream().filter(d -> d.label().equals(label)).count();
    }

    @Test
    public void manifestThresholdReplacesTheConfiguredOneForItsClassOnly() throws Exception {
        List<Detection> plain = detect(withMetrics(Map.of("ap50", 0.5)), 0.5f);
        List<Detection> low = detect(withMetrics(Map.of("threshold.Person", 0.2)), 0.5f);
        List<Detection> high = detect(withMetrics(Map.of("threshold.Person", 0.99)), 0.5f);
        System.out.printf("frame %d persons: configured 0.5 -> %d, threshold.Person 0.2 -> %d, 0.99 -> %d%n",
                FRAME, count(plain, "Person"), count(low, "Person"), count(high, "Person"));
        assertTrue("a lower Person threshold must find more persons: " + count(low, "Person") + " vs " + count(plain, "Person"),
                count(low, "Person") > count(plain, "Person"));
        assertEquals("no person scores 0.99 on this frame", 0, count(high, "Person"));
        for (Detection d : low) {
            float need = d.label().equals("Person") ? 0.2f : 0.5f;
            assertTrue("below its class threshold: " + d, d.score() >= need);
        }
        // the other classes keep the configured threshold
        assertEquals(plain.size() - count(plain, "Person"), low.size() - count(low, "Person"));
    }

    @Test
    public void thresholdOutsideTheUnitIntervalRejectsTheModel() throws Exception {
        try {
            detect(withMetrics(Map.of("threshold.Person", 1.5)), 0.5f);
            fail("a threshold of 1.5 must be rejected");
        } catch (EngineException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("threshold.Person"));
        }
    }
}

package io.edgetune.inference;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.edgetune.api.detect.Detection;
import io.edgetune.api.detect.Detections;
import io.edgetune.api.frame.Frame;
import io.edgetune.api.frame.FramePool;
import io.edgetune.api.motion.Region;
import io.edgetune.inference.engine.DetectorSettings;
import io.edgetune.inference.engine.EngineOptions;
import io.edgetune.inference.engine.LoadedModel;
import java.nio.FloatBuffer;
import java.util.List;
import org.junit.Test;

/** JavaCPP TFLite 2.20 and DJL's TFLite 2.6.2 run the same model on the same frame (in one JVM) and must agree. */
public class BackendAgreementTest {

    @Test
    public void javacppAndDjlGiveTheSameDetections() throws Exception {
        FramePool pool = new FramePool(1, TestAssets.WIDTH, TestAssets.HEIGHT);
        DetectorSettings full = DetectorSettings.defaults().withMode(Detections.Mode.FULL_FRAME).withScoreThreshold(0.3f);
        List<Region> crops = List.of(new Region(150, 120, 250, 200), new Region(540, 130, 228, 280));
        try (LoadedModel jcpp = LoadedModel.load(TestAssets.descriptor("agree"), TestAssets.model(), null, "javacpp", EngineOptions.cpu(2));
             LoadedModel djl = LoadedModel.load(TestAssets.descriptor("agree"), TestAssets.model(), null, "djl", EngineOptions.cpu(2))) {
            assertEquals("tflite-javacpp", jcpp.engine().backend());
            assertEquals("djl-tflite", djl.engine().backend());
            Frame f = TestAssets.frame(pool, "cam", 300, TestAssets.frames(300).get(300));
            try {
                Detections a = jcpp.detect(f, List.of(), full);
                Detections b = djl.detect(f, List.of(), full);
                // both prepared the same input, so the raw outputs must match too
                float maxBox = maxAbsDiff(jcpp.engine().boxEncodings(), djl.engine().boxEncodings(), 1917 * 4);
                float maxLogit = maxAbsDiff(jcpp.engine().classLogits(), djl.engine().classLogits(), 1917 * 24);
                System.out.printf("backend agreement: max |diff| box encodings %.2e, class logits %.2e; detections %d vs %d%n",
                        maxBox, maxLogit, a.detections().size(), b.detections().size());
                assertTrue("box encodings differ by " + maxBox, maxBox < 1e-3f);
                assertTrue("class logits differ by " + maxLogit, maxLogit < 1e-3f);
                assertTrue(a.detections().size() > 3);
                assertSame(a.detections(), b.detections());
                assertSame(jcpp.detect(f, crops, full.withMode(Detections.Mode.REGIONS)).detections(),
                        djl.detect(f, crops, full.withMode(Detections.Mode.REGIONS)).detections());
            } finally {
                f.release();
            }
        }
    }

    private static void assertSame(List<Detection> a, List<Detection> b) {
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            Detection x = a.get(i);
            Detection y = b.get(i);
            assertEquals(x.label(), y.label());
            assertEquals(x.score(), y.score(), 1e-4f);
            assertTrue(x + " vs " + y, x.iou(y) > 0.999f);
        }
    }

    private static float maxAbsDiff(FloatBuffer a, FloatBuffer b, int n) {
        float m = 0;
        for (int i = 0; i < n; i++) {
            m = Math.max(m, Math.abs(a.get(i) - b.get(i)));
        }
        return m;
    }
}

package io.edgetune.inference;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.edgetune.api.detect.Detection;
import io.edgetune.api.detect.Detections;
import io.edgetune.api.frame.Frame;
import io.edgetune.api.frame.FramePool;
import io.edgetune.inference.engine.DetectorSettings;
import io.edgetune.inference.engine.EngineOptions;
import io.edgetune.inference.engine.LoadedModel;
import io.edgetune.inference.engine.TensorFormat;
import io.edgetune.inference.internal.JavaCppTfliteEngine;
import java.nio.file.Path;
import java.util.List;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/** The project's int8 build of the real model on real frames: 8-bit input, dequantized outputs, the same people. */
public class Int8ModelTest {

    private static LoadedModel flt;
    private static LoadedModel int8;
    private static FramePool pool;

    @BeforeClass
    public static void load() throws Exception {
        Path file = Int8Models.baseInt8();
        int8 = LoadedModel.load(TestAssets.descriptor("int8"), TestAssets.model(), file, null, "javacpp", EngineOptions.cpu(2));
        flt = TestAssets.loadModel("float");
        pool = new FramePool(2, TestAssets.WIDTH, TestAssets.HEIGHT);
    }

    @AfterClass
    public static void close() {
        if (int8 != null) {
            int8.close();
        }
        if (flt != null) {
            flt.close();
        }
    }

    @Test
    public void runsTheInt8BuildWith8BitInput() {
        assertEquals(JavaCppTfliteEngine.BUILD_INT8, int8.engine().build());
        assertTrue(int8.engine().inputFormat().quantized());
        assertEquals(1917, int8.engine().anchorCount());
        assertEquals(24, int8.engine().classCount());
        TensorFormat f = int8.engine().inputFormat();
        assertTrue(f.toString(), f.scale() > 0.007f && f.scale() < 0.0081f);
    }

    @Test
    public void findsTheHandCheckedPeople() throws Exception {
        DetectorSettings full = DetectorSettings.defaults().withMode(Detections.Mode.FULL_FRAME).withScoreThreshold(0.4f);
        Frame f = TestAssets.frame(pool, "cam1", 300, TestAssets.frames(300).get(300));
        try {
            Detections d = int8.detect(f, List.of(), full);
            assertEquals("int8-cpu", d.build());
            for (int[] hand : Boxes.FRAME_300) {
                assertTrue("missed " + java.util.Arrays.toString(hand) + ": " + d.detections(), Boxes.bestIou(hand, d.detections()) > 0.5f);
            }
        } finally {
            f.release();
        }
    }

    @Test
    public void agreesWithTheFloatModelOnPeople() throws Exception {
        DetectorSettings full = DetectorSettings.defaults().withMode(Detections.Mode.FULL_FRAME).withScoreThreshold(0.4f);
        int people = 0;
        int found = 0;
        for (int index : new int[] {300, 500, 700}) {
            Frame f = TestAssets.frame(pool, "cam1", index, TestAssets.frames(index).get(index));
            try {
                Detections a = flt.detect(f, List.of(), full);
                Detections b = int8.detect(f, List.of(), full);
                for (Detection p : a.detections()) {
                    if ("Person".equals(p.label()) && p.score() > 0.5f) {
                        people++;
                        for (Detection q : b.detections()) {
                            if ("Person".equals(q.label()) && q.iou(p) > 0.6f) {
                                found++;
                                break;
                            }
                        }
                    }
                }
            } finally {
                f.release();
            }
        }
        System.out.printf("int8 found %d of the float model's %d people (score > 0.5) on frames 300, 500, 700%n", found, people);
        assertTrue(people >= 6);
        assertTrue("int8 found " + found + " of " + people, found >= people - 1);
    }
}

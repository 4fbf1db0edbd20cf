package io.edgetune.trainer;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.edgetune.tflite.BuiltinOperator;
import io.edgetune.tflite.Operator;
import io.edgetune.tflite.QuantizationCheck;
import io.edgetune.tflite.Tensor;
import io.edgetune.tflite.TensorType;
import io.edgetune.tflite.TfliteModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Set;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The int8 build of the real detector, calibrated on the training frames of vtest.avi (as a round calibrates on
 * the camera's own training split) and judged against the teacher's labels on the validation frames next to the
 * float build, both through TFLite 2.20 with XNNPACK.
 */
public class Int8BuildTest {

    private static byte[] base;
    private static List<String> labels;
    private static Int8Build.Result int8;

    @BeforeClass
    public static void build() throws Exception {
        base = Files.readAllBytes(TeacherData.model());
        labels = TeacherData.labels();
        int8 = Int8Build.build(base, TeacherData.train(), TrainerSettings.defaults(), () -> false);
        // kept for people and the benchmarks: target/base_int8.tflite
        Path out = Paths.get("target", "base_int8.tflite");
        Files.write(out, int8.model());
        System.out.println("int8 build (" + int8.model().length + " bytes, " + int8.images() + " calibration frames): "
                + int8.description());
    }

    @Test
    public void theBuildIsFullIntegerWithAUint8InputAndInt8Outputs() throws Exception {
        TfliteModel m = TfliteModel.read(int8.model());
        assertEquals(List.of(), QuantizationCheck.problems(m));
        Tensor in = m.main().tensors.get(m.main().inputs[0]);
        assertEquals(TensorType.UINT8, in.type);
        // raw RGB pixels: 0 and 255 land on -1 and 1 (the float preparation's range) within one step
        float scale = in.quantization.scale[0];
        long zero = in.quantization.zeroPoint[0];
        assertEquals(2f / 255, scale, 1e-6);
        assertEquals(-1f, scale * (0 - zero), scale);
        assertEquals(1f, scale * (255 - zero), scale);
        for (int o : m.main().outputs) {
            assertEquals(TensorType.INT8, m.main().tensors.get(o).type);
        }
        int floats = 0;
        for (Operator op : m.main().operators) {
            assertTrue("no float weights left behind a DEQUANTIZE", m.builtin(op) != BuiltinOperator.DEQUANTIZE);
            for (int i : op.inputs) {
                if (i >= 0 && (m.main().tensors.get(i).type == TensorType.FLOAT32 || m.main().tensors.get(i).type == TensorType.FLOAT16)) {
                    floats++;
                }
            }
        }
        assertEquals("operators reading float tensors", 0, floats);
        assertTrue("a quarter of the fp16 file or less: " + int8.model().length, int8.model().length < base.length * 0.6);
    }

    @Test
    public void apOfTheInt8BuildIsWithinTwoHundredthsOfTheFloatBuild() throws Exception {
        ModelJudge.Verdict v = new ModelJudge(TrainerSettings.defaults()).judge(base, int8.model(), labels, TeacherData.train(),
                TeacherData.validation(), Set.of());
        double f = v.baseTuned().ap50();
        double q = v.candidate().ap50();
        System.out.printf("AP@0.5 on %d validation frames (%d teacher boxes): float %.4f, int8 %.4f (%+.4f); per class float %s int8 %s%n",
                v.candidate().images(), v.candidate().truths(), f, q, q - f, v.baseTuned().ap50PerClass(), v.candidate().ap50PerClass());
        assertEquals(v.baseTuned().images(), v.candidate().images());
        assertTrue("the float build finds the teacher's objects: AP " + f, f > 0.3);
        assertEquals("int8 AP@0.5 vs float", f, q, 0.02);
    }
}

package io.edgetune.tflite;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.edgetune.testsupport.Assets;
import java.nio.file.Files;
import java.util.List;
import java.util.function.Consumer;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The quantizer's structure on the real detector, with made-up activation ranges (the quality on real frames is the
 * trainer's Int8BuildTest): the result passes the quantization check, TFLite 2.20 loads and runs it with XNNPACK,
 * every edge option works, and each kind of damage to the parameters is refused with a reason.
 */
public class QuantizerTest {

    private static byte[] floatModel;
    private static Calibration ranges;
    private static byte[] int8;

    @BeforeClass
    public static void quantize() throws Exception {
        floatModel = Files.readAllBytes(Assets.model());
        ranges = new Calibration(TfliteModel.read(floatModel));
        for (int t : ranges.tensors()) {
            ranges.set(t, -6f, 6f);
        }
        int8 = Quantizer.quantize(floatModel, ranges, new Quantizer.Options());
    }

    @Test
    public void theBuildPassesTheCheckAndRunsInTflite() throws Exception {
        TfliteModel m = TfliteModel.read(int8);
        assertEquals(List.of(), m.quantizationProblems());
        Subgraph g = m.main();
        assertEquals(TensorType.UINT8, g.tensors.get(g.inputs[0]).type);
        assertEquals("normalized_input_image_tensor", g.tensors.get(g.inputs[0]).name);
        assertEquals(BuiltinOperator.QUANTIZE, m.builtin(g.operators.get(0)));
        for (Operator op : g.operators) {
            int code = m.builtin(op);
            assertTrue("no DEQUANTIZE left", code != BuiltinOperator.DEQUANTIZE);
            if (code == BuiltinOperator.CONV_2D || code == BuiltinOperator.DEPTHWISE_CONV_2D) {
                Tensor w = g.tensors.get(op.inputs[1]);
                Tensor b = g.tensors.get(op.inputs[2]);
                int axis = code == BuiltinOperator.CONV_2D ? 0 : 3;
                assertEquals(TensorType.INT8, w.type);
                assertEquals(axis, w.quantization.quantizedDimension);
                assertEquals(w.shape[axis], w.quantization.scale.length);
                assertEquals(TensorType.INT32, b.type);
            }
        }
        try (Tflite t = new Tflite(int8)) {
            assertEquals(300 * 300 * 3, t.input(0).capacity());
            for (int i = 0; i < t.input(0).capacity(); i++) {
                t.input(0).put(i, (byte) (i * 7));
            }
            t.invoke();
            assertEquals(1917 * 4, t.output(0).capacity());
            assertEquals(1917 * 24, t.output(1).capacity());
        }
    }

    @Test
    public void everyEdgeOptionLoads() throws Exception {
        int[][] options = {{TensorType.INT8, TensorType.INT8}, {TensorType.UINT8, TensorType.UINT8}, {TensorType.INT8, TensorType.FLOAT32}};
        for (int[] o : options) {
            byte[] b = Quantizer.quantize(floatModel, ranges, new Quantizer.Options().input(o[0]).output(o[1]));
            TfliteModel m = TfliteModel.read(b);
            Subgraph g = m.main();
            assertEquals(o[0], g.tensors.get(g.inputs[0]).type);
            assertEquals(o[1], g.tensors.get(g.outputs[0]).type);
            assertEquals("raw_outputs/box_encodings", g.tensors.get(g.outputs[0]).name);
            assertEquals(List.of(), m.quantizationProblems());
            try (Tflite t = new Tflite(b)) {
                t.invoke();
                assertEquals(1917 * 24 * TensorType.size(o[1]), t.output(1).capacity());
            }
        }
    }

    @Test
    public void float16WeightsAreReadExactly() {
        assertEquals(1f, Quantizer.half((short) 0x3c00), 0f);
        assertEquals(-2f, Quantizer.half((short) 0xc000), 0f);
        assertEquals(65504f, Quantizer.half((short) 0x7bff), 0f);
        assertEquals(0x1p-24f, Quantizer.half((short) 0x0001), 0f);
        assertEquals(0x1p-14f, Quantizer.half((short) 0x0400), 0f);
        assertEquals(Float.NEGATIVE_INFINITY, Quantizer.half((short) 0xfc00), 0f);
        assertEquals(-0f, Quantizer.half((short) 0x8000), 0f);
    }

    @Test
    public void aTensorWithoutARangeIsNotGuessed() throws Exception {
        Calibration partial = new Calibration(TfliteModel.read(floatModel));
        try {
            Quantizer.quantize(floatModel, partial, new Quantizer.Options());
            fail("quantized without ranges");
        } catch (TfliteException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("was not calibrated"));
        }
    }

    @Test
    public void misQuantizedModelsAreRefusedWithTheReason() throws Exception {
        refused("scale[0] = 0.0 (must be finite and > 0)", m -> firstConv(m, 1).quantization.scale[0] = 0f);
        refused("scale[3] = NaN", m -> firstConv(m, 1).quantization.scale[3] = Float.NaN);
        refused("per-channel scales", m -> {
            Quantization q = firstConv(m, 1).quantization;
            q.scale = java.util.Arrays.copyOf(q.scale, q.scale.length - 1);
            q.zeroPoint = java.util.Arrays.copyOf(q.zeroPoint, q.zeroPoint.length - 1);
        });
        refused("must be symmetric (zero point 0)", m -> firstConv(m, 1).quantization.zeroPoint[0] = 5);
        refused("but input scale x weight scale", m -> firstConv(m, 2).quantization.scale[1] *= 2);
        refused("zero point 300 outside INT8 [-128, 127]", m -> firstConv(m, 0).quantization.zeroPoint[0] = 300);
        refused("INT8 without quantization parameters", m -> firstConv(m, 0).quantization = null);
        refused("constant data is", m -> {
            Buffer b = m.buffer(firstConv(m, 1));
            b.data = java.util.Arrays.copyOf(b.data, b.data.length - 1);
        });
        refused("must keep the input's scale and zero point", m -> {
            Subgraph g = m.main();
            for (Operator op : g.operators) {
                if (m.builtin(op) == BuiltinOperator.RESHAPE) {
                    Tensor o = g.tensors.get(op.outputs[0]);
                    o.quantization = Quantization.of(o.quantization.scale[0] * 1.5f, o.quantization.zeroPoint[0]);
                    return;
                }
            }
        });
    }

    /** Input (0), weights (1) or bias (2) tensor of the model's first CONV_2D after the input QUANTIZE. */
    private static Tensor firstConv(TfliteModel m, int input) {
        for (Operator op : m.main().operators) {
            if (m.builtin(op) == BuiltinOperator.CONV_2D) {
                return m.main().tensors.get(op.inputs[input]);
            }
        }
        throw new AssertionError("no CONV_2D");
    }

    private static void refused(String reason, Consumer<TfliteModel> damage) throws Exception {
        TfliteModel m = TfliteModel.read(int8);
        damage.accept(m);
        byte[] damaged = m.write();
        try {
            QuantizationCheck.require(damaged);
            fail("accepted a model damaged so: " + reason);
        } catch (TfliteException e) {
            assertTrue("'" + e.getMessage() + "' should say " + reason, e.getMessage().contains(reason));
            assertTrue(e.getMessage().startsWith("mis-quantized model: "));
        }
    }
}

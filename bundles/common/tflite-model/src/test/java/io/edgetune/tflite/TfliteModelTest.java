package io.edgetune.tflite;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.edgetune.testsupport.Assets;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import org.junit.BeforeClass;
import org.junit.Test;

/** Reading and writing the real detector (SSD MobileNetV2, float16 weights). */
public class TfliteModelTest {

    private static byte[] original;
    private static TfliteModel model;

    @BeforeClass
    public static void load() throws Exception {
        original = Files.readAllBytes(Assets.model());
        model = TfliteModel.read(original);
    }

    @Test
    public void readsTheDetectorsGraph() {
        Subgraph g = model.main();
        assertEquals(389, g.tensors.size());
        assertEquals(241, g.operators.size()); // the interpreter reports 243 nodes: XNNPACK adds its delegate nodes
        Tensor in = g.tensors.get(g.inputs[0]);
        assertEquals("normalized_input_image_tensor", in.name);
        assertEquals(TensorType.FLOAT32, in.type);
        assertArrayEquals(new int[] {1, 300, 300, 3}, in.shape);
        assertEquals(2, g.outputs.length);
        int heads = 0;
        for (Operator op : g.operators) {
            if (model.builtin(op) == BuiltinOperator.CONV_2D
                    && g.tensors.get(op.outputs[0]).name.startsWith("BoxPredictor_0/ClassPredictor")) {
                Tensor w = g.tensors.get(op.inputs[1]);
                Operator deq = g.producer(op.inputs[1]);
                assertEquals(BuiltinOperator.DEQUANTIZE, model.builtin(deq));
                Tensor half = g.tensors.get(deq.inputs[0]);
                assertEquals(TensorType.FLOAT16, half.type);
                assertArrayEquals(new int[] {72, 1, 1, 576}, w.shape);
                assertEquals(72 * 576 * 2, model.buffer(half).data.length);
                // the recorded file offset points at the same bytes
                long at = model.buffer(half).fileOffset;
                assertArrayEquals(model.buffer(half).data, Arrays.copyOfRange(original, (int) at, (int) at + 72 * 576 * 2));
                assertEquals(BuiltinOptions.CONV_2D, op.builtinOptions.type);
                heads++;
            }
        }
        assertEquals(1, heads);
    }

    @Test
    public void writingIsAFixedPointAndKeepsEveryField() throws Exception {
        byte[] once = model.write();
        TfliteModel again = TfliteModel.read(once);
        byte[] twice = again.write();
        assertArrayEquals("write(read(write(m))) differs from write(m)", once, twice);
        Subgraph a = model.main();
        Subgraph b = again.main();
        assertArrayEquals(a.inputs, b.inputs);
        assertArrayEquals(a.outputs, b.outputs);
        for (int i = 0; i < a.tensors.size(); i++) {
            Tensor x = a.tensors.get(i);
            Tensor y = b.tensors.get(i);
            assertEquals(x.name, y.name);
            assertEquals(x.type, y.type);
            assertArrayEquals(x.shape, y.shape);
            assertArrayEquals(model.buffer(x).data, again.buffer(y).data);
        }
        for (int i = 0; i < a.operators.size(); i++) {
            Operator x = a.operators.get(i);
            Operator y = b.operators.get(i);
            assertEquals(model.builtin(x), again.builtin(y));
            assertArrayEquals(x.inputs, y.inputs);
            assertArrayEquals(x.outputs, y.outputs);
            assertEquals(String.valueOf(x.builtinOptions), String.valueOf(y.builtinOptions));
        }
        assertEquals(model.operatorCodes.size(), again.operatorCodes.size());
        assertEquals(model.metadata.size(), again.metadata.size());
    }

    @Test
    public void theRewrittenModelRunsInTfliteWithIdenticalOutputs() throws Exception {
        byte[] rewritten = model.write();
        float[][] before = run(original);
        float[][] after = run(rewritten);
        assertEquals(2, before.length);
        for (int o = 0; o < before.length; o++) {
            assertArrayEquals("output " + o, before[o], after[o], 0f);
        }
    }

    @Test
    public void constantDataIsAlignedTo16Bytes() throws Exception {
        TfliteModel again = TfliteModel.read(model.write());
        int constants = 0;
        for (Buffer b : again.buffers) {
            if (!b.isEmpty()) {
                assertEquals(0, b.fileOffset % 16);
                constants++;
            }
        }
        assertTrue(constants > 100);
    }

    @Test
    public void theFloatModelHasNoQuantizationProblems() {
        assertEquals(List.of(), model.quantizationProblems());
    }

    @Test
    public void truncatedAndForeignFilesAreRefusedWithAReason() {
        for (int cut : new int[] {100, 4000, original.length / 2}) {
            try {
                TfliteModel.read(Arrays.copyOf(original, cut));
                fail("a model cut at " + cut + " bytes was read");
            } catch (TfliteException e) {
                assertTrue(e.getMessage(), e.getMessage().contains("truncated or corrupt"));
            }
        }
        try {
            TfliteModel.read("PK\u0003\u0004 not a model".getBytes());
            fail("a zip was read as a model");
        } catch (TfliteException e) {
            assertTrue(e.getMessage().contains("TFL3"));
        }
    }

    /** Runs the model on a fixed pseudo-image and returns its float outputs. */
    static float[][] run(byte[] file) {
        try (Tflite t = new Tflite(file)) {
            ByteBuffer in = t.input(0);
            int n = in.capacity() / 4;
            for (int i = 0; i < n; i++) {
                in.putFloat(i * 4, (float) Math.sin(i * 0.01) * 0.9f);
            }
            t.invoke();
            float[][] out = new float[2][];
            for (int o = 0; o < out.length; o++) {
                ByteBuffer b = t.output(o);
                out[o] = new float[b.capacity() / 4];
                b.asFloatBuffer().get(out[o]);
            }
            assertNotNull(out[0]);
            return out;
        }
    }
}

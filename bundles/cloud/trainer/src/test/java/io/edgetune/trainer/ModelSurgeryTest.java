package io.edgetune.trainer;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.BeforeClass;
import org.junit.Test;

/** Reading the class heads and their feature maps off the real model, and writing new head weights into it. */
public class ModelSurgeryTest {

    private static final int[][] EXPECTED = {
        // grid, channels, anchors per cell (ASSETS.md)
        {19, 576, 3}, {10, 1280, 6}, {5, 512, 6}, {3, 256, 6}, {2, 256, 6}, {1, 128, 6},
    };

    private static byte[] bytes;
    private static TfliteFile file;
    private static List<ClassHead> heads;
    private static int classes;

    @BeforeClass
    public static void parse() throws Exception {
        bytes = Files.readAllBytes(TeacherData.model());
        file = TfliteFile.parse(bytes);
        classes = TeacherData.labels().size();
        heads = ClassHead.find(file, bytes, classes);
    }

    @Test
    public void sixClassHeadsWithTheDocumentedShapesAndFloat16Weights() {
        assertEquals(6, heads.size());
        for (int i = 0; i < EXPECTED.length; i++) {
            ClassHead h = heads.get(i);
            System.out.printf("BoxPredictor_%d/ClassPredictor: %dx%dx%d from '%s', %d anchors per cell, weights %d bytes at %d%n",
                    i, h.grid, h.grid, h.channels, h.featureName, h.anchorsPerCell, h.weightSpan.length(), h.weightSpan.offset());
            assertEquals("grid of head " + i, EXPECTED[i][0], h.grid);
            assertEquals("channels of head " + i, EXPECTED[i][1], h.channels);
            assertEquals("anchors per cell of head " + i, EXPECTED[i][2], h.anchorsPerCell);
            assertEquals(TfliteFile.FLOAT16, h.weightType);
            assertEquals(2L * EXPECTED[i][2] * classes * EXPECTED[i][1], h.weightSpan.length());
            assertEquals(2L * EXPECTED[i][2] * classes, h.biasSpan.length());
        }
        assertTrue("the 19x19 head reads expanded_conv_13's expansion: " + heads.get(0).featureName,
                heads.get(0).featureName.contains("expanded_conv_13/expand"));
    }

    /** Logits computed here from the feature maps and head weights, for every anchor and class. */
    private static float[] ownLogits(DetectorPass pass, List<ClassHead> hs, List<float[]> w, List<float[]> b) {
        float[] out = new float[pass.anchors * classes];
        int anchor = 0;
        for (int i = 0; i < hs.size(); i++) {
            ClassHead h = hs.get(i);
            FloatBuffer fb = pass.feature(i);
            float[] f = new float[h.cells() * h.channels];
            fb.get(0, f);
            for (int cell = 0; cell < h.cells(); cell++) {
                for (int slot = 0; slot < h.anchorsPerCell; slot++, anchor++) {
                    for (int c = 0; c < classes; c++) {
                        out[anchor * classes + c] = ClassHead.logit(w.get(i), b.get(i), h.channels, slot * classes + c, f, cell * h.channels);
                    }
                }
            }
        }
        return out;
    }

    private static float maxDifference(float[] own, FloatBuffer model) {
        float max = 0;
        for (int i = 0; i < own.length; i++) {
            max = Math.max(max, Math.abs(own[i] - model.get(i)));
        }
        return max;
    }

    @Test
    public void logitsFromTheFeatureMapsAndHeadWeightsEqualTheModelsClassPredictions() throws Exception {
        LabelledImage image = TeacherData.train().get(30);
        try (DetectorPass pass = new DetectorPass(bytes, file, heads, "ssd-mobilenet-v2:300", 2); Mat bgr = DetectorPass.read(image.jpeg())) {
            pass.run(bgr);
            for (int i = 0; i < heads.size(); i++) {
                assertEquals(heads.get(i).cells() * heads.get(i).channels, pass.feature(i).capacity());
            }
            List<float[]> w = new ArrayList<>();
            List<float[]> b = new ArrayList<>();
            for (ClassHead h : heads) {
                w.add(h.weights);
                b.add(h.bias);
            }
            float[] own = ownLogits(pass, heads, w, b);
            float diff = maxDifference(own, pass.logits());
            System.out.printf("own logits vs class_predictions over %d values: max |difference| %.2e%n", own.length, diff);
            assertTrue("own head math disagrees with the model by " + diff, diff < 2e-3f);
            // and the features are not trivially zero: ReLU6 outputs in [0, 6] with some signal
            float sum = 0;
            for (int i = 0; i < pass.feature(0).capacity(); i++) {
                float v = pass.feature(0).get(i);
                assertTrue("ReLU6 output out of range: " + v, v >= 0 && v <= 6.0001f);
                sum += v;
            }
            assertTrue(sum > 1000);
        }
    }

    @Test
    public void patchedModelKeepsSizeAndGraphChangesOnlyHeadBuffersAndRunsOurWeights() throws Exception {
        Random random = new Random(7);
        List<float[]> w = new ArrayList<>();
        List<float[]> b = new ArrayList<>();
        byte[] patched = bytes.clone();
        int person = TeacherData.labels().indexOf("Person");
        for (ClassHead h : heads) {
            float[] nw = h.weights.clone();
            float[] nb = h.bias.clone();
            for (int slot = 0; slot < h.anchorsPerCell; slot++) {
                int row = slot * classes + person;
                for (int c = 0; c < h.channels; c++) {
                    nw[row * h.channels + c] = h.storedWeight(nw[row * h.channels + c] + (float) random.nextGaussian() * 0.05f);
                }
                nb[row] = h.storedBias(nb[row] + 1f);
            }
            h.write(patched, nw, nb);
            w.add(nw);
            b.add(nb);
        }
        assertEquals(bytes.length, patched.length);
        // only bytes inside the head buffers differ
        int changed = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != patched[i]) {
                changed++;
                boolean inside = false;
                for (ClassHead h : heads) {
                    inside |= inHead(i, h.weightSpan) || inHead(i, h.biasSpan);
                }
                assertTrue("byte " + i + " outside the head buffers changed", inside);
            }
        }
        assertTrue("nothing changed", changed > 1000);
        // same graph: tensors and operators read back identically
        TfliteFile again = TfliteFile.parse(patched);
        assertEquals(file.tensors.size(), again.tensors.size());
        for (int i = 0; i < file.tensors.size(); i++) {
            assertEquals(file.tensors.get(i).name(), again.tensors.get(i).name());
            assertArrayEquals(file.tensors.get(i).shape(), again.tensors.get(i).shape());
            assertEquals(file.tensors.get(i).buffer(), again.tensors.get(i).buffer());
        }
        assertEquals(file.operators.size(), again.operators.size());
        // other classes' rows are bit for bit the base weights
        List<ClassHead> reread = ClassHead.find(again, patched, classes);
        for (int i = 0; i < heads.size(); i++) {
            ClassHead h = heads.get(i);
            for (int r = 0; r < h.anchorsPerCell * classes; r++) {
                boolean personRow = r % classes == person;
                for (int c = 0; c < h.channels; c++) {
                    float expected = personRow ? w.get(i)[r * h.channels + c] : h.weights[r * h.channels + c];
                    assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(reread.get(i).weights[r * h.channels + c]));
                }
            }
        }
        // the interpreter runs it, and its class predictions are our math with the new weights
        LabelledImage image = TeacherData.train().get(30);
        try (DetectorPass pass = new DetectorPass(patched, again, reread, "ssd-mobilenet-v2:300", 2); Mat bgr = DetectorPass.read(image.jpeg())) {
            pass.run(bgr);
            float[] own = ownLogits(pass, reread, w, b);
            float diff = maxDifference(own, pass.logits());
            System.out.printf("patched model: %d bytes changed, own logits vs model max |difference| %.2e%n", changed, diff);
            assertTrue("patched model disagrees with our math by " + diff, diff < 2e-3f);
        }
    }

    private static boolean inHead(int i, TfliteFile.Span s) {
        return i >= s.offset() && i < s.offset() + s.length();
    }
}

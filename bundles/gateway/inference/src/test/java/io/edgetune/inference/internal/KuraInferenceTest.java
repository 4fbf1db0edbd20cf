package io.edgetune.inference.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.edgetune.inference.engine.LoadedModel;
import io.edgetune.api.detect.Detection;
import io.edgetune.api.frame.Frame;
import io.edgetune.api.frame.FramePool;
import io.edgetune.inference.TestAssets;
import io.edgetune.inference.ssd.InputPreparer;
import io.edgetune.inference.ssd.SsdAnchors;
import io.edgetune.inference.ssd.SsdDecoder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.eclipse.kura.KuraErrorCode;
import org.eclipse.kura.KuraException;
import org.eclipse.kura.ai.inference.ModelInfo;
import org.eclipse.kura.ai.inference.Tensor;
import org.eclipse.kura.ai.inference.TensorDescriptor;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Kura's InferenceEngineService on the shared engine: raw tensors of a real frame, decoded here, land on the people. */
public class KuraInferenceTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();
    private DetectorComponent component;

    @Before
    public void start() throws Exception {
        Map<String, Object> c = new HashMap<>();
        c.put("model_dir", tmp.getRoot().toPath().resolve("models").toString());
        c.put("assets_dir", TestAssets.dir().toString());
        component = new DetectorComponent();
        component.activate(Configs.detector(c));
        long end = System.currentTimeMillis() + 60_000;
        while (!component.isEngineReady() && System.currentTimeMillis() < end) {
            Thread.sleep(20);
        }
    }

    @After
    public void stop() {
        component.deactivate();
    }

    @Test
    public void rawTensorsOfARealFrameDecodeToThePeople() throws Exception {
        assertTrue(component.isEngineReady());
        assertEquals(List.of("base-oidv4"), component.getModelNames());
        assertTrue(component.isModelLoaded("base-oidv4"));
        assertTrue(component.isModelLoaded(KuraInferenceAdapter.ACTIVE));
        assertFalse(component.isModelLoaded("other"));
        assertEquals(Optional.empty(), component.getModelInfo("other"));
        ModelInfo info = component.getModelInfo("base-oidv4").orElseThrow();
        assertEquals(List.of(1L, 300L, 300L, 3L), info.getInputs().get(0).getShape());
        assertEquals(List.of(1L, 1917L, 4L), info.getOutputs().get(0).getShape());
        assertEquals(List.of(1L, 1917L, 24L), info.getOutputs().get(1).getShape());
        assertEquals("tflite-javacpp/cpu", info.getPlatform().orElseThrow());

        // the caller prepares the input itself, as Kura's AI component would
        FloatBuffer input = ByteBuffer.allocateDirect(300 * 300 * 3 * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        FramePool pool = new FramePool(1, TestAssets.WIDTH, TestAssets.HEIGHT);
        Frame f = TestAssets.frame(pool, "cam", 300, TestAssets.frames(300).get(300));
        try (InputPreparer p = new InputPreparer(input, 300, 300)) {
            p.prepare(f, 0, 0, f.width(), f.height());
        } finally {
            f.release();
        }
        List<Float> values = new ArrayList<>(270_000);
        for (int i = 0; i < 270_000; i++) {
            values.add(input.get(i));
        }
        TensorDescriptor in = info.getInputs().get(0);
        List<Tensor> out = component.infer(info, List.of(new Tensor(Float.class, in, values)));
        assertEquals(2, out.size());
        List<Float> boxes = out.get(0).getData(Float.class).orElseThrow();
        List<Float> logits = out.get(1).getData(Float.class).orElseThrow();
        assertEquals(1917 * 4, boxes.size());
        assertEquals(1917 * 24, logits.size());

        SsdDecoder decoder = new SsdDecoder(SsdAnchors.fromScheme("ssd-mobilenet-v2", 300), LoadedModel.DEFAULT_BOX_SCALES);
        decoder.decode(toBuffer(boxes), toBuffer(logits), 24, 0.4f, null, 0, 0, TestAssets.WIDTH, TestAssets.HEIGHT, 0);
        List<Detection> found = decoder.suppress(0.5f, 50, TestAssets.labels());
        Detection hand = new Detection(4, "Person", 1f, 311, 213, 37, 85);
        assertTrue("no person at the hand-checked place: " + found,
                found.stream().anyMatch(d -> d.label().equals("Person") && d.iou(hand) > 0.5f));

        try {
            component.infer(info, List.of(new Tensor(Double.class, in, List.of(1.0))));
            fail("a Double tensor was accepted");
        } catch (KuraException expected) {
            assertTrue(expected.getMessage().contains("Float"));
        }
        try {
            component.unloadModel("base-oidv4");
            fail("the active model cannot be unloaded");
        } catch (KuraException expected) {
            assertTrue(expected.getMessage().contains("OPERATION_NOT_SUPPORTED"));
        }
    }

    /** What Kura's AI wire component does on each update: ready? loaded? then load again, then ask for the info. */
    @Test
    public void loadingTheLoadedModelAgainIsANoOpForTheVersionAndTheAlias() throws Exception {
        long swaps = component.detector().swaps();
        for (String name : List.of("base-oidv4", KuraInferenceAdapter.ACTIVE)) {
            assertTrue(component.isEngineReady());
            assertTrue(component.isModelLoaded(name));
            component.loadModel(name, Optional.empty());
            ModelInfo info = component.getModelInfo(name).orElseThrow();
            assertEquals("the info keeps the name it was asked for", name, info.getName());
            assertEquals("base-oidv4", info.getVersion().orElseThrow());
            assertEquals(List.of("normalized_input_image_tensor"),
                    info.getInputs().stream().map(TensorDescriptor::getName).collect(Collectors.toList()));
        }
        assertEquals("no model was reloaded", swaps, component.detector().swaps());
        assertTrue(component.isModelLoaded("base-oidv4"));

        try {
            component.loadModel("no-such-model", Optional.empty());
            fail("an unknown model was loaded");
        } catch (KuraException expected) {
            assertEquals(KuraErrorCode.NOT_FOUND, expected.getCode());
        }
        component.unloadModel("no-such-model"); // not loaded: nothing to do
        assertEquals(List.of("base-oidv4"), component.getModelNames());
        assertEquals(swaps, component.detector().swaps());
    }

    /** A ModelInfo obtained under the alias runs the active model and gives the version's outputs. */
    @Test
    public void theAliasInfersLikeTheActiveVersion() throws Exception {
        ModelInfo byVersion = component.getModelInfo("base-oidv4").orElseThrow();
        ModelInfo byAlias = component.getModelInfo(KuraInferenceAdapter.ACTIVE).orElseThrow();
        List<Float> values = new ArrayList<>(270_000);
        for (int i = 0; i < 270_000; i++) {
            values.add((i % 97) / 48.5f - 1f);
        }
        List<Tensor> a = component.infer(byVersion, List.of(new Tensor(Float.class, byVersion.getInputs().get(0), values)));
        List<Tensor> b = component.infer(byAlias, List.of(new Tensor(Float.class, byAlias.getInputs().get(0), values)));
        assertEquals(a.get(1).getData(Float.class).orElseThrow(), b.get(1).getData(Float.class).orElseThrow());
        assertEquals(byAlias.getOutputs().get(1).getName(), b.get(1).getDescriptor().getName());
    }

    private static FloatBuffer toBuffer(List<Float> values) {
        FloatBuffer b = FloatBuffer.allocate(values.size());
        values.forEach(b::put);
        return b;
    }
}

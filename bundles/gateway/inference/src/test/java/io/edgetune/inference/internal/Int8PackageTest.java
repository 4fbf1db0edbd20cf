package io.edgetune.inference.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.edgetune.api.detect.Detections;
import io.edgetune.api.detect.DetectorStatus;
import io.edgetune.api.frame.Frame;
import io.edgetune.api.frame.FramePool;
import io.edgetune.api.model.ModelDescriptor;
import io.edgetune.api.model.ModelException;
import io.edgetune.inference.Int8Models;
import io.edgetune.inference.TestAssets;
import io.edgetune.modelpackage.ModelPackages;
import io.edgetune.tflite.Quantization;
import io.edgetune.tflite.Tensor;
import io.edgetune.tflite.TensorType;
import io.edgetune.tflite.TfliteModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Packages with an int8 build through the running detector component: the int8 build runs on CPU when the Edge
 * TPU cannot (and the status and detections say so and why); a truncated or mis-quantized int8 build is refused
 * with a reason naming the problem, and the model before keeps serving.
 */
public class Int8PackageTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private DetectorComponent component;
    private byte[] floatModel;
    private byte[] int8Model;
    private FramePool pool;

    @Before
    public void start() throws Exception {
        floatModel = Files.readAllBytes(TestAssets.model());
        int8Model = Files.readAllBytes(Int8Models.baseInt8());
        Map<String, Object> c = new HashMap<>();
        c.put("model_dir", tmp.getRoot().toPath().resolve("models").toString());
        c.put("assets_dir", TestAssets.dir().toString());
        c.put("edgetpu_library", "libedgetpu-not-installed.so.1");
        component = new DetectorComponent();
        component.activate(Configs.detector(c));
        waitFor(() -> component.status().modelVersion() != null);
        pool = new FramePool(1, TestAssets.WIDTH, TestAssets.HEIGHT);
    }

    @After
    public void stop() {
        if (component != null) {
            component.deactivate();
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier c) throws InterruptedException {
        long end = System.currentTimeMillis() + 60_000;
        while (!c.getAsBoolean()) {
            if (System.currentTimeMillis() > end) {
                throw new AssertionError("condition not met within 60 s");
            }
            Thread.sleep(10);
        }
    }

    private Path pkg(String version, byte[] int8, byte[] edgeTpu) throws Exception {
        ModelDescriptor d = new ModelDescriptor(version, null, TestAssets.labels(), 300, 300, "ssd-mobilenet-v2:300", "base-oidv4",
                Map.of(), System.currentTimeMillis(), false);
        return Files.write(tmp.getRoot().toPath().resolve(version + ".zip"), ModelPackages.build(floatModel, int8, edgeTpu, d, null));
    }

    private Detections detect() throws Exception {
        Frame f = TestAssets.frame(pool, "cam", 300, TestAssets.frames(300).get(300));
        try {
            return component.detect(f, List.of());
        } finally {
            f.release();
        }
    }

    @Test
    public void floatPackageSaysWhyItRunsTheFloatBuild() throws Exception {
        DetectorStatus s = component.status();
        assertEquals("float-cpu", s.build());
        assertTrue(s.buildReason(), s.buildReason().contains("no int8 build"));
        assertEquals("float-cpu", detect().build());
    }

    @Test
    public void int8BuildRunsOnCpuWhenTheEdgeTpuLibraryIsMissing() throws Exception {
        component.install(pkg("with-int8", int8Model, new byte[] {1, 2, 3}));
        component.activate("with-int8");
        DetectorStatus s = component.status();
        assertEquals("with-int8", s.modelVersion());
        assertEquals("cpu", s.accelerator());
        assertEquals("int8-cpu", s.build());
        assertTrue(s.buildReason(), s.buildReason().startsWith("Edge TPU unavailable: Edge TPU library libedgetpu-not-installed.so.1 not loadable"));
        assertTrue(s.buildReason(), s.buildReason().endsWith("running the int8 build on CPU"));
        Detections d = detect();
        assertEquals("int8-cpu", d.build());
        assertEquals(s.buildReason(), d.buildReason());
        assertTrue(d.detections().stream().filter(x -> x.label().equals("Person")).count() >= 4);
    }

    @Test
    public void int8BuildWithoutEdgeTpuBuildSaysSo() throws Exception {
        component.install(pkg("int8-only", int8Model, null));
        component.activate("int8-only");
        DetectorStatus s = component.status();
        assertEquals("int8-cpu", s.build());
        assertTrue(s.buildReason(), s.buildReason().contains("no Edge TPU build"));
    }

    @Test
    public void truncatedInt8BuildIsRefusedAndTheOldModelKeepsServing() throws Exception {
        refused(pkg("truncated", Arrays.copyOf(int8Model, int8Model.length / 2), null), "model_int8.tflite");
    }

    @Test
    public void zeroScaleIsRefused() throws Exception {
        refused(mutated("zero-scale", t -> t.quantization.scale[0] = 0f), "must be finite and > 0");
    }

    @Test
    public void nanScaleIsRefused() throws Exception {
        refused(mutated("nan-scale", t -> t.quantization.scale[0] = Float.NaN), "scale[0] = NaN");
    }

    @Test
    public void zeroPointOutOfRangeIsRefused() throws Exception {
        refused(mutated("zero-point", t -> t.quantization.zeroPoint[0] = 300), "zero point");
    }

    @Test
    public void perChannelCountMismatchIsRefused() throws Exception {
        TfliteModel m = TfliteModel.read(int8Model);
        Tensor w = m.main().tensors.stream().filter(t -> t.quantization != null && t.quantization.scale.length > 1).findFirst().orElseThrow();
        Quantization q = w.quantization;
        w.quantization = Quantization.perChannel(Arrays.copyOf(q.scale, q.scale.length - 1), Arrays.copyOf(q.zeroPoint, q.zeroPoint.length - 1),
                q.quantizedDimension);
        refused(pkg("per-channel", m.write(), null), "per-channel", "model_int8.tflite");
    }

    /** The int8 model with the first int8 activation (a tensor without constant data) changed. */
    private Path mutated(String version, Consumer<Tensor> change) throws Exception {
        TfliteModel m = TfliteModel.read(int8Model);
        Tensor t = m.main().tensors.stream()
                .filter(x -> x.type == TensorType.INT8 && m.buffer(x).isEmpty() && x.quantization != null && x.quantization.scale.length == 1)
                .findFirst().orElseThrow();
        change.accept(t);
        return pkg(version, m.write(), null);
    }

    private void refused(Path pkg, String... reasons) throws Exception {
        try {
            component.install(pkg);
            fail("installed " + pkg);
        } catch (ModelException e) {
            for (String r : reasons) {
                assertTrue(e.getMessage(), e.getMessage().contains(r));
            }
            assertTrue(e.getMessage(), e.getMessage().contains("model_int8.tflite"));
        }
        assertEquals(List.of("base-oidv4"), component.list().stream().map(ModelDescriptor::version).toList());
        assertEquals("base-oidv4", component.status().modelVersion());
        assertTrue(detect().detections().stream().anyMatch(x -> x.label().equals("Person")));
    }
}

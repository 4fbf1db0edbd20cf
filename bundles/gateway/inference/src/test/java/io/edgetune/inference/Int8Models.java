package io.edgetune.inference;

import io.edgetune.api.frame.Frame;
import io.edgetune.api.frame.FramePool;
import io.edgetune.inference.engine.EngineOptions;
import io.edgetune.inference.engine.LoadedModel;
import io.edgetune.inference.internal.JavaCppTfliteEngine;
import io.edgetune.inference.ssd.InputPreparer;
import io.edgetune.tflite.Calibration;
import io.edgetune.tflite.Quantizer;
import io.edgetune.tflite.TfliteModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Map;

/**
 * The project's int8 build of the real model, made the way the loop makes it: the float model runs through this
 * engine (every activation kept readable) on real frames of the sample video, prepared as the detector prepares
 * them; the ranges go to io.edgetune.tflite's Quantizer (uint8 input, int8 outputs). Built once per test JVM.
 */
public final class Int8Models {

    /** Calibration frames: spread over the video, none of them a frame the tests detect on. */
    static final int[] CALIBRATION_FRAMES = {20, 60, 100, 140, 180, 220, 260, 340, 380, 420, 460, 540, 580, 620, 660, 740, 780};

    private static Path built;

    private Int8Models() {
    }

    /** The int8 model file (in target/), built on first use. */
    public static synchronized Path baseInt8() throws Exception {
        if (built == null) {
            byte[] floatModel = Files.readAllBytes(TestAssets.model());
            Path out = Paths.get("target", "int8", "base_int8.tflite");
            Files.createDirectories(out.getParent());
            Files.write(out, quantize(floatModel));
            built = out;
        }
        return built;
    }

    static byte[] quantize(byte[] floatModel) throws Exception {
        TfliteModel m = TfliteModel.read(floatModel);
        Calibration cal = new Calibration(m);
        int input = m.main().inputs[0];
        int[] outputs = m.main().outputs;
        int[] keep = Arrays.stream(cal.tensors()).filter(t -> t != input && Arrays.stream(outputs).noneMatch(o -> o == t)).toArray();
        Map<Integer, byte[]> frames = TestAssets.frames(CALIBRATION_FRAMES);
        FramePool pool = new FramePool(1, TestAssets.WIDTH, TestAssets.HEIGHT);
        try (JavaCppTfliteEngine e = new JavaCppTfliteEngine(TestAssets.model(), null, null, EngineOptions.cpu(2), keep);
             InputPreparer prep = LoadedModel.preparer(e)) {
            for (int index : CALIBRATION_FRAMES) {
                Frame f = TestAssets.frame(pool, "calibration", index, frames.get(index));
                try {
                    prep.prepare(f, 0, 0, f.width(), f.height());
                } finally {
                    f.release();
                }
                e.invoke();
                for (int t : keep) {
                    cal.observe(t, e.tensorData(t));
                }
                for (int t : outputs) {
                    cal.observe(t, e.tensorData(t));
                }
                cal.sampleDone();
            }
        }
        // what the input preparation writes: pixel / 127.5 - 1
        cal.set(input, -1f, 1f);
        return Quantizer.quantize(floatModel, cal, new Quantizer.Options());
    }
}

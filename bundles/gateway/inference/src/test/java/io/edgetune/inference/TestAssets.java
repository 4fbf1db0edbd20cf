package io.edgetune.inference;

import io.edgetune.api.detect.DetectorService;
import io.edgetune.api.frame.Frame;
import io.edgetune.api.frame.FramePool;
import io.edgetune.api.model.ModelDescriptor;
import io.edgetune.inference.engine.DetectorSettings;
import io.edgetune.inference.engine.EngineOptions;
import io.edgetune.inference.engine.LoadedModel;
import io.edgetune.testsupport.Assets;
import io.edgetune.testsupport.VideoFrames;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The real model and video from ${edgetune.assets} (test-support), as the inference tests name them. */
public final class TestAssets {

    public static final int WIDTH = VideoFrames.WIDTH;
    public static final int HEIGHT = VideoFrames.HEIGHT;

    private TestAssets() {
    }

    public static Path dir() {
        return Assets.dir();
    }

    public static Path model() {
        return Assets.model();
    }

    public static Path labelFile() {
        return Assets.labelFile();
    }

    public static List<String> labels() throws IOException {
        return Assets.labels();
    }

    public static ModelDescriptor descriptor(String version) throws IOException {
        return new ModelDescriptor(version, "", labels(), 300, 300, "ssd-mobilenet-v2:300", null, Map.of(), 0L, false);
    }

    /** The cached SSD MobileNetV2 on the JavaCPP TFLite engine, two CPU threads. */
    public static LoadedModel loadModel(String version) throws Exception {
        return LoadedModel.load(descriptor(version), model(), null, "javacpp", EngineOptions.cpu(2));
    }

    /** A loaded model behind the public DetectorService, as the OSGi runtime provides it (status not offered). */
    public static DetectorService detectorService(LoadedModel model, DetectorSettings settings) {
        return model.asService(settings);
    }

    /** BGR bytes of the given frame indices (0-based) of vtest.avi. */
    public static Map<Integer, byte[]> frames(int... indices) throws Exception {
        return VideoFrames.bgr(indices);
    }

    /** A pooled frame filled with the given BGR bytes (one reference held by the caller). */
    public static Frame frame(FramePool pool, String camera, long seq, byte[] bgr) {
        return VideoFrames.frame(pool, bgr, camera, seq, 1_000L * seq);
    }
}

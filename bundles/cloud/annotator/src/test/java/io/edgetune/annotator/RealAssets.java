package io.edgetune.annotator;

import io.edgetune.api.detect.DetectorService;
import io.edgetune.api.frame.Frame;
import io.edgetune.api.frame.FramePool;
import io.edgetune.inference.TestAssets;
import io.edgetune.inference.engine.DetectorSettings;
import io.edgetune.inference.engine.LoadedModel;
import io.edgetune.testsupport.Assets;
import io.edgetune.testsupport.VideoFrames;
import java.util.List;
import java.util.Map;

/** The real model and sample video from ${edgetune.assets}, as the annotator tests use them. */
final class RealAssets {

    static final int WIDTH = VideoFrames.WIDTH;
    static final int HEIGHT = VideoFrames.HEIGHT;

    private RealAssets() {
    }

    static List<String> labels() throws Exception {
        return Assets.labels();
    }

    static LoadedModel model() throws Exception {
        return TestAssets.loadModel("edge-v1");
    }

    /** BGR bytes of the requested frames of vtest.avi, each decoded once per JVM. */
    static Map<Integer, byte[]> frames(int... wanted) throws Exception {
        return VideoFrames.bgr(wanted);
    }

    static Frame frame(FramePool pool, String camera, long seq, long timestamp, byte[] bgr) {
        return VideoFrames.frame(pool, bgr, camera, seq, timestamp);
    }

    /** The inference bundle's model runner behind the public DetectorService, as the OSGi runtime provides it. */
    static DetectorService detector(LoadedModel model, DetectorSettings settings) {
        return TestAssets.detectorService(model, settings);
    }
}

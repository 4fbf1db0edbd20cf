package io.edgetune.jmh;

import io.edgetune.api.detect.Detection;
import io.edgetune.api.detect.Detections;
import io.edgetune.api.frame.Frame;
import io.edgetune.inference.engine.DetectorSettings;
import io.edgetune.inference.engine.InferenceEngine;
import io.edgetune.inference.engine.LoadedModel;
import io.edgetune.inference.ssd.SsdAnchors;
import io.edgetune.inference.ssd.SsdDecoder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * Post-processing of real model outputs: the raw box encodings [1917, 4]
 * and class logits [1917, 24] of full-frame inferences on eight frames
 * spread over the sample video, captured once in the set-up. {@code decode}
 * thresholds the logits and decodes the surviving anchors into frame boxes;
 * {@code nms} runs the per-class greedy suppression over one frame's
 * decoded candidates. The score threshold sets how many candidates NMS
 * sees: 0.4 is the gateway's default, 0.1 a permissive setting.
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SsdPostprocessBench extends GatewayBench {

    static final int[] FRAMES = {50, 150, 250, 350, 450, 550, 650, 750};

    @Param({"0.4", "0.1"})
    public float scoreThreshold;

    private FloatBuffer[] boxes;
    private FloatBuffer[] logits;
    private SsdDecoder decoder;
    private SsdDecoder[] decoded;
    private int classes;
    private int width;
    private int height;
    private List<String> labels;
    private DetectorSettings settings;
    private int next;

    @Setup(Level.Trial)
    public void capture() throws Exception {
        settings = DetectorSettings.defaults().withMode(Detections.Mode.FULL_FRAME);
        boxes = new FloatBuffer[FRAMES.length];
        logits = new FloatBuffer[FRAMES.length];
        decoded = new SsdDecoder[FRAMES.length];
        SsdAnchors anchors = SsdAnchors.fromScheme("ssd-mobilenet-v2", 300);
        try (LoadedModel model = BenchAssets.loadModel()) {
            InferenceEngine e = model.engine();
            classes = e.classCount();
            labels = model.labels();
            for (int i = 0; i < FRAMES.length; i++) {
                Frame[] one = BenchAssets.frames(FRAMES[i], 1);
                width = one[0].width();
                height = one[0].height();
                model.detect(one[0], List.of(), settings);
                one[0].release();
                boxes[i] = copy(e.boxEncodings(), e.anchorCount() * 4);
                logits[i] = copy(e.classLogits(), e.anchorCount() * classes);
                decoded[i] = new SsdDecoder(anchors, LoadedModel.DEFAULT_BOX_SCALES);
                decoded[i].decode(boxes[i], logits[i], classes, scoreThreshold, null, 0, 0, width, height, 0);
            }
        }
        decoder = new SsdDecoder(anchors, LoadedModel.DEFAULT_BOX_SCALES);
    }

    private static FloatBuffer copy(FloatBuffer src, int n) {
        FloatBuffer out = ByteBuffer.allocateDirect(n * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
        for (int i = 0; i < n; i++) {
            out.put(i, src.get(i));
        }
        return out;
    }

    @Benchmark
    public int decode() {
        int i = next;
        next = next + 1 == FRAMES.length ? 0 : next + 1;
        decoder.reset();
        decoder.decode(boxes[i], logits[i], classes, scoreThreshold, null, 0, 0, width, height, 0);
        return decoder.candidateCount();
    }

    @Benchmark
    public List<Detection> nms() {
        int i = next;
        next = next + 1 == FRAMES.length ? 0 : next + 1;
        return decoded[i].suppress(settings.nmsIou(), settings.maxDetections(), labels);
    }

    /** Candidates per frame that NMS works on, for the docs. */
    public int[] candidateCounts() {
        int[] n = new int[decoded.length];
        for (int i = 0; i < n.length; i++) {
            n[i] = decoded[i].candidateCount();
        }
        return n;
    }
}

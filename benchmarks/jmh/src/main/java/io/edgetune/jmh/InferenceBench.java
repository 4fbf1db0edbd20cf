package io.edgetune.jmh;

import io.edgetune.api.detect.Detections;
import io.edgetune.api.frame.Frame;
import io.edgetune.inference.engine.DetectorSettings;
import io.edgetune.inference.engine.LoadedModel;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The interpreter alone ({@code rawInference}: one invoke of SSD MobileNetV2
 * 300x300, 2 threads, a real frame in the input tensor) against the whole
 * full-frame detection ({@code fullPipeline}: preparation + inference +
 * decoding + NMS), on both backends: JavaCPP TFLite 2.20 with XNNPACK (the
 * default) and DJL's TFLite 2.6.2 engine (optional bundle).
 */
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class InferenceBench extends GatewayBench {

    private static final DetectorSettings FULL = DetectorSettings.defaults().withMode(Detections.Mode.FULL_FRAME);

    @Param({"javacpp", "djl"})
    public String backend;

    private LoadedModel model;
    private Frame frame;

    @Setup(Level.Trial)
    public void load() throws Exception {
        model = BenchAssets.loadModel(backend);
        frame = BenchAssets.frames(300, 1)[0];
        // a real frame in the input tensor for the raw runs too
        model.detect(frame, List.of(), FULL);
    }

    @TearDown(Level.Trial)
    public void close() {
        frame.release();
        model.close();
    }

    @Benchmark
    public Object rawInference() throws Exception {
        model.engine().invoke();
        return model.engine().classLogits();
    }

    @Benchmark
    public Detections fullPipeline() throws Exception {
        return model.detect(frame, List.of(), FULL);
    }
}

package io.edgetune.inference.bench;

import io.edgetune.api.detect.Detection;
import io.edgetune.api.detect.Detections;
import io.edgetune.api.frame.Frame;
import io.edgetune.api.frame.FramePool;
import io.edgetune.inference.TestAssets;
import io.edgetune.inference.internal.DetectorSettings;
import io.edgetune.inference.internal.EngineOptions;
import io.edgetune.inference.internal.InferenceEngine;
import io.edgetune.inference.ssd.InputPreparer;
import io.edgetune.inference.internal.LoadedModel;
import io.edgetune.inference.ssd.SsdAnchors;
import io.edgetune.inference.ssd.SsdDecoder;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Raw interpreter time against the full detection pipeline (input
 * preparation + inference + decoding + NMS) for both backends, on the real
 * model and a real frame, in one run. Not part of the test run:
 * {@code mvn -B -o -q -pl bundles/inference test-compile exec:exec}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 8, time = 2)
@Fork(1)
public class InferenceBench {

    private static final DetectorSettings FULL = DetectorSettings.defaults().withMode(Detections.Mode.FULL_FRAME);

    @State(Scope.Benchmark)
    public static class Engine {
        @Param({"javacpp", "djl"})
        public String backend;
        LoadedModel model;
        Frame frame;

        @Setup(Level.Trial)
        public void load() throws Exception {
            model = LoadedModel.load(TestAssets.descriptor("bench"), TestAssets.model(), null, backend, EngineOptions.cpu(2));
            frame = TestAssets.frame(new FramePool(1, TestAssets.WIDTH, TestAssets.HEIGHT), "bench", 300, TestAssets.frames(300).get(300));
            // a real frame in the input tensor for the raw runs too
            model.detect(frame, List.of(), FULL);
        }

        @TearDown(Level.Trial)
        public void close() {
            frame.release();
            model.close();
        }
    }

    /** Stages without inference, on the JavaCPP engine's tensors (both backends share this code). */
    @State(Scope.Benchmark)
    public static class Stages {
        LoadedModel model;
        InputPreparer preparer;
        SsdDecoder decoder;
        Frame frame;
        List<String> labels;

        @Setup(Level.Trial)
        public void load() throws Exception {
            model = LoadedModel.load(TestAssets.descriptor("bench"), TestAssets.model(), null, "javacpp", EngineOptions.cpu(2));
            InferenceEngine e = model.engine();
            preparer = new InputPreparer(e.input(), e.inputWidth(), e.inputHeight());
            decoder = new SsdDecoder(SsdAnchors.fromScheme("ssd-mobilenet-v2", 300), LoadedModel.DEFAULT_BOX_SCALES);
            frame = TestAssets.frame(new FramePool(1, TestAssets.WIDTH, TestAssets.HEIGHT), "bench", 300, TestAssets.frames(300).get(300));
            labels = model.labels();
            preparer.prepare(frame, 0, 0, frame.width(), frame.height());
            e.invoke();
        }

        @TearDown(Level.Trial)
        public void close() {
            frame.release();
            preparer.close();
            model.close();
        }
    }

    @Benchmark
    public Object rawInference(Engine s) throws Exception {
        s.model.engine().invoke();
        return s.model.engine().classLogits();
    }

    @Benchmark
    public Detections fullPipeline(Engine s) throws Exception {
        return s.model.detect(s.frame, List.of(), FULL);
    }

    @Benchmark
    public Object preparation(Stages s) {
        s.preparer.prepare(s.frame, 0, 0, s.frame.width(), s.frame.height());
        return s.preparer;
    }

    @Benchmark
    public List<Detection> decodeAndNms(Stages s) {
        InferenceEngine e = s.model.engine();
        s.decoder.reset();
        s.decoder.decode(e.boxEncodings(), e.classLogits(), e.classCount(), FULL.scoreThreshold(), null, 0, 0, s.frame.width(), s.frame.height(), 0);
        return s.decoder.suppress(FULL.nmsIou(), FULL.maxDetections(), s.labels);
    }

    public static void main(String[] args) throws Exception {
        Options opt = new OptionsBuilder()
                .include(InferenceBench.class.getName() + "\\.")
                .jvmArgsAppend("-Dedgetune.assets=" + TestAssets.dir())
                .build();
        Collection<RunResult> results = new Runner(opt).run();
        Map<String, Double> ms = new TreeMap<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            name = name.substring(name.lastIndexOf('.') + 1);
            String backend = r.getParams().getParam("backend");
            ms.put(backend == null ? name : name + "/" + backend, r.getPrimaryResult().getScore());
        }
        System.out.println();
        System.out.println("EdgeTune inference benchmark (ms per inference, SSD MobileNetV2 300x300, one 768x576 frame, 2 threads)");
        for (String b : List.of("javacpp", "djl")) {
            Double raw = ms.get("rawInference/" + b);
            Double full = ms.get("fullPipeline/" + b);
            if (raw != null && full != null) {
                System.out.printf("  %-8s raw interpreter %8.2f   full pipeline %8.2f   overhead ratio %.3f (+%.2f ms)%n",
                        b, raw, full, full / raw, full - raw);
            }
        }
        double prep = ms.get("preparation");
        double decode = ms.get("decodeAndNms");
        System.out.printf("  stages: preparation %.3f ms, decoding + NMS %.3f ms%n", prep, decode);
        for (String b : List.of("javacpp", "djl")) {
            Double raw = ms.get("rawInference/" + b);
            if (raw != null) {
                // less sensitive to load from other processes than the difference of two separate runs
                System.out.printf("  %-8s (raw + stages) / raw = %.3f%n", b, (raw + prep + decode) / raw);
            }
        }
        Double rj = ms.get("rawInference/javacpp");
        Double rd = ms.get("rawInference/djl");
        if (rj != null && rd != null) {
            System.out.printf("  DJL / JavaCPP raw inference time: %.1fx%n", rd / rj);
        }
    }
}

package io.edgetune.jmh;

import io.edgetune.api.frame.Frame;
import io.edgetune.api.motion.MotionResult;
import io.edgetune.motion.engine.MotionEngine;
import io.edgetune.motion.engine.MotionSettings;
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

/**
 * One motion step per frame (the web console's defaults: grey frame 100 px
 * high, blur, background model, morphology, stabilisation, region proposal)
 * on consecutive real frames of the sample video, people walking through.
 * The frames are decoded beforehand; the engine cycles through them.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class MotionStepBench {

    static final int FIRST = 100;
    static final int COUNT = 120;

    @Param({"MOG2", "RUNNING_AVERAGE"})
    public String model;

    private MotionEngine engine;
    private Frame[] frames;
    private int next;

    @Setup(Level.Trial)
    public void load() throws Exception {
        frames = BenchAssets.frames(FIRST, COUNT);
        engine = new MotionEngine(MotionSettings.defaults().withModel(MotionSettings.Model.valueOf(model)));
        // learn the background once, so the measured steps are past the warm-up state
        for (Frame f : frames) {
            engine.process(f);
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        engine.close();
        for (Frame f : frames) {
            f.release();
        }
    }

    @Benchmark
    public MotionResult motionStep() {
        Frame f = frames[next];
        next = next + 1 == frames.length ? 0 : next + 1;
        return engine.process(f);
    }
}

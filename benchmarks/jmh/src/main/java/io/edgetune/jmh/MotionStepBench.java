package io.edgetune.jmh;

import io.edgetune.api.frame.Frame;
import io.edgetune.api.motion.MotionResult;
import io.edgetune.motion.engine.MotionEngine;
import io.edgetune.motion.engine.MotionSettings;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One motion step per frame (the web console's defaults: grey frame 100 px
 * high, blur, background model, morphology, stabilisation, region proposal)
 * on consecutive real frames of the sample video, people walking through.
 * The frames are decoded beforehand; the engine cycles through them.
 */
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class MotionStepBench extends GatewayBench {

    static final int FIRST = 100;
    static final int COUNT = 120;

    private MotionEngine engine;
    private FrameCycle frames;

    @Param({"MOG2", "RUNNING_AVERAGE"})
    public String model;

    @Setup(Level.Trial)
    public void load() throws Exception {
        frames = new FrameCycle(FIRST, COUNT);
        engine = new MotionEngine(MotionSettings.defaults().withModel(MotionSettings.Model.valueOf(model)));
        // learn the background once, so the measured steps are past the warm-up state
        for (Frame f : frames.all()) {
            engine.process(f);
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        engine.close();
        frames.release();
    }

    @Benchmark
    public MotionResult motionStep() {
        return engine.process(frames.next());
    }
}

package io.edgetune.jmh;

import io.edgetune.api.frame.Frame;
import io.edgetune.inference.ssd.InputPreparer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
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
 * Input preparation: crop, resize to 300x300, BGR to RGB and scale to
 * [-1, 1] floats in the direct input buffer, on real frames. {@code full}
 * is the whole 768x576 frame (full-frame mode), {@code crop} a 160x160
 * motion crop (the motion stage's smallest crop) around a walking person.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class InputPreparationBench {

    @Param({"full", "crop"})
    public String region;

    private Frame[] frames;
    private InputPreparer preparer;
    private int x;
    private int y;
    private int w;
    private int h;
    private int next;

    @Setup(Level.Trial)
    public void load() throws Exception {
        frames = BenchAssets.frames(300, 16);
        FloatBuffer input = ByteBuffer.allocateDirect(300 * 300 * 3 * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
        preparer = new InputPreparer(input, 300, 300);
        if ("full".equals(region)) {
            w = frames[0].width();
            h = frames[0].height();
        } else {
            x = 300;
            y = 150;
            w = 160;
            h = 160;
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        preparer.close();
        for (Frame f : frames) {
            f.release();
        }
    }

    @Benchmark
    public InputPreparer prepare() {
        Frame f = frames[next];
        next = next + 1 == frames.length ? 0 : next + 1;
        preparer.prepare(f, x, y, w, h);
        return preparer;
    }
}

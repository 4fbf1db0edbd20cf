package io.edgetune.jmh;

import io.edgetune.inference.ssd.InputPreparer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Input preparation: crop, resize to 300x300, BGR to RGB and scale to
 * [-1, 1] floats in the direct input buffer, on real frames. {@code full}
 * is the whole 768x576 frame (full-frame mode), {@code crop} a 160x160
 * motion crop (the motion stage's smallest crop) around a walking person.
 * {@code tensor}: {@code float32} for the float model, {@code uint8} for the
 * int8 build's input (the same values quantized with scale 2/255, zero point
 * 128, one byte a value).
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class InputPreparationBench extends GatewayBench {

    @Param({"full", "crop"})
    public String region;

    @Param({"float32", "uint8"})
    public String tensor;

    private FrameCycle frames;
    private InputPreparer preparer;
    private int x;
    private int y;
    private int w;
    private int h;

    @Setup(Level.Trial)
    public void load() throws Exception {
        frames = new FrameCycle(300, 16);
        if ("uint8".equals(tensor)) {
            preparer = InputPreparer.quantized(ByteBuffer.allocateDirect(300 * 300 * 3), 300, 300, false, 2f / 255f, 128);
        } else {
            FloatBuffer input = ByteBuffer.allocateDirect(300 * 300 * 3 * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
            preparer = new InputPreparer(input, 300, 300);
        }
        if ("full".equals(region)) {
            w = frames.first().width();
            h = frames.first().height();
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
        frames.release();
    }

    @Benchmark
    public InputPreparer prepare() {
        preparer.prepare(frames.next(), x, y, w, h);
        return preparer;
    }
}

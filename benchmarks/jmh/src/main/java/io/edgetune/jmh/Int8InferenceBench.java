package io.edgetune.jmh;

import io.edgetune.api.frame.Frame;
import io.edgetune.inference.ssd.InputPreparer;
import io.edgetune.tflite.Calibration;
import io.edgetune.tflite.Quantizer;
import io.edgetune.tflite.TfliteModel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.tensorflowlite.BuiltinOpResolverWithXNNPACK;
import org.bytedeco.tensorflowlite.FlatBufferModel;
import org.bytedeco.tensorflowlite.Interpreter;
import org.bytedeco.tensorflowlite.InterpreterBuilder;
import org.bytedeco.tensorflowlite.TfLiteTensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Raw interpreter invoke of the shipped fp16 model against its int8 build, side by side in one run: JavaCPP TFLite
 * 2.20, XNNPACK, 2 threads (the gateway's default), a real frame in the input tensor. The int8 build is made in the
 * set-up the way a retraining round makes it (io.edgetune.tflite.Quantizer), calibrated on 24 frames spread over
 * the sample video; the trainer's Int8BuildTest checks its quality.
 */
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class Int8InferenceBench extends GatewayBench {

    private static final int THREADS = 2;

    @Param({"fp16", "int8"})
    public String build;

    private Tflite model;

    @Setup(Level.Trial)
    public void load() throws Exception {
        byte[] fp16 = Files.readAllBytes(BenchAssets.model());
        Frame[] frames = BenchAssets.frames(0, 240);
        try {
            byte[] file = build.equals("int8") ? int8(fp16, frames) : fp16;
            model = new Tflite(file, new int[0]);
            model.prepare(frames[120]);
        } finally {
            for (Frame f : frames) {
                f.release();
            }
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        model.close();
    }

    @Benchmark
    public Object rawInference() {
        model.invoke();
        return model.interpreter;
    }

    /** Calibrates the float model on every 10th frame and quantizes it (uint8 input, int8 outputs). */
    static byte[] int8(byte[] fp16, Frame[] frames) throws Exception {
        TfliteModel m = TfliteModel.read(fp16);
        Calibration cal = new Calibration(m);
        int input = m.main().inputs[0];
        int[] read = Arrays.stream(cal.tensors()).filter(t -> t != input).toArray();
        int[] extra = Arrays.stream(read).filter(t -> Arrays.stream(m.main().outputs).noneMatch(o -> o == t)).toArray();
        try (Tflite t = new Tflite(fp16, extra)) {
            for (int i = 0; i < frames.length; i += 10) {
                t.prepare(frames[i]);
                t.invoke();
                for (int k : read) {
                    cal.observe(k, t.floats(t.interpreter.tensor(k)));
                }
                cal.sampleDone();
            }
        }
        cal.set(input, -1f, 1f);
        return Quantizer.quantize(fp16, cal, new Quantizer.Options());
    }

    /** One interpreter over model bytes; extra tensors stay readable after invoke. */
    static final class Tflite implements AutoCloseable {
        final Interpreter interpreter;
        private final BytePointer bytes;
        private final FlatBufferModel model;
        private final BuiltinOpResolverWithXNNPACK resolver;
        private final InputPreparer preparer;
        private final FloatBuffer prepared;
        private final TfLiteTensor input;

        Tflite(byte[] file, int[] extra) {
            bytes = new BytePointer(file.length);
            bytes.put(file);
            model = FlatBufferModel.VerifyAndBuildFromBuffer(bytes, file.length);
            if (model == null || model.isNull()) {
                throw new IllegalStateException("TFLite refuses the model");
            }
            resolver = new BuiltinOpResolverWithXNNPACK(true);
            InterpreterBuilder b = new InterpreterBuilder(model, resolver);
            b.SetNumThreads(THREADS);
            interpreter = new Interpreter((Pointer) null);
            if (b.apply(interpreter) != 0) {
                throw new IllegalStateException("no interpreter for the model");
            }
            b.deallocate();
            if (extra.length > 0) {
                int[] outs = new int[2 + extra.length];
                outs[0] = interpreter.outputs().get(0);
                outs[1] = interpreter.outputs().get(1);
                System.arraycopy(extra, 0, outs, 2, extra.length);
                interpreter.SetOutputs(outs);
            }
            if (interpreter.AllocateTensors() != 0) {
                throw new IllegalStateException("cannot allocate tensors");
            }
            input = interpreter.input_tensor(0);
            prepared = input.type() == 1 ? floats(input)
                    : ByteBuffer.allocateDirect(4 * 300 * 300 * 3).order(ByteOrder.nativeOrder()).asFloatBuffer();
            preparer = new InputPreparer(prepared, 300, 300);
        }

        /** The gateway's preparation of the whole frame; for a uint8 input, quantized with the input's parameters. */
        void prepare(Frame f) {
            preparer.prepare(f, 0, 0, f.width(), f.height());
            if (input.type() != 1) {
                float scale = input.params().scale();
                int zero = input.params().zero_point();
                BytePointer p = new BytePointer(input.data().raw());
                p.capacity(input.bytes());
                ByteBuffer q = p.asByteBuffer();
                for (int i = 0; i < q.capacity(); i++) {
                    q.put(i, (byte) Math.max(0, Math.min(255, Math.round(prepared.get(i) / scale) + zero)));
                }
            }
        }

        void invoke() {
            if (interpreter.Invoke() != 0) {
                throw new IllegalStateException("Invoke failed");
            }
        }

        FloatBuffer floats(TfLiteTensor t) {
            FloatPointer p = new FloatPointer(t.data().f());
            p.capacity(t.bytes() / Float.BYTES);
            return p.asByteBuffer().order(ByteOrder.nativeOrder()).asFloatBuffer();
        }

        @Override
        public void close() {
            preparer.close();
            interpreter.deallocate();
            resolver.deallocate();
            model.deallocate();
            bytes.deallocate();
        }
    }
}

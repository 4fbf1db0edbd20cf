package io.edgetune.inference.internal;

import io.edgetune.inference.engine.EngineOptions;
import io.edgetune.inference.engine.EngineException;
import io.edgetune.inference.engine.TensorFormat;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.tensorflowlite.BuiltinOpResolverWithXNNPACK;
import org.bytedeco.tensorflowlite.FlatBufferModel;
import org.bytedeco.tensorflowlite.Interpreter;
import org.bytedeco.tensorflowlite.InterpreterBuilder;
import org.bytedeco.tensorflowlite.TfLiteIntArray;
import org.bytedeco.tensorflowlite.TfLiteQuantizationParams;
import org.bytedeco.tensorflowlite.TfLiteTensor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TensorFlow Lite 2.20 through the JavaCPP presets, XNNPACK on CPU, optional Edge TPU delegate. Float32,
 * uint8 and int8 inputs and outputs (8-bit outputs are dequantized after each invoke); SSDs with raw
 * outputs or ending in TFLite_Detection_PostProcess.
 */
public final class JavaCppTfliteEngine extends SsdEngine {

    public static final String BACKEND = "tflite-javacpp";
    private static final Logger LOG = LoggerFactory.getLogger(JavaCppTfliteEngine.class);
    public static final String BUILD_EDGETPU = "edgetpu";
    public static final String BUILD_INT8 = "int8-cpu";
    public static final String BUILD_FLOAT = "float-cpu";
    private static final int TFLITE_FLOAT32 = 1;
    private static final int TFLITE_UINT8 = 3;
    private static final int TFLITE_INT8 = 9;
    private static final int TFLITE_OK = 0;

    private final BytePointer modelBytes;
    private final FlatBufferModel model;
    private final BuiltinOpResolverWithXNNPACK resolver;
    private final Interpreter interpreter;
    private final EdgeTpuDelegate edgeTpu;
    private final String note;
    private final String build;
    private final String buildReason;
    private Dequantize[] dequantize = new Dequantize[0];
    /** The model's own outputs (tensors kept readable come after them). */
    private int modelOutputs;

    /**
     * @param cpuModel     the plain TFLite model
     * @param edgeTpuModel the same model compiled for the Edge TPU, or null
     */
    public JavaCppTfliteEngine(Path cpuModel, Path edgeTpuModel, EngineOptions options) throws EngineException {
        this(cpuModel, null, edgeTpuModel, options);
    }

    /**
     * Runs the fastest build that works here: the Edge TPU build when the delegate loads and finds a device,
     * else the int8 build on CPU, else the float model; {@link #build()} and {@link #buildReason()} say which
     * and why.
     *
     * @param cpuModel     the float TFLite model
     * @param int8Model    its full-integer build, or null
     * @param edgeTpuModel the int8 build compiled for the Edge TPU, or null
     */
    public JavaCppTfliteEngine(Path cpuModel, Path int8Model, Path edgeTpuModel, EngineOptions options) throws EngineException {
        this(cpuModel, int8Model, edgeTpuModel, options, new int[0]);
    }

    /**
     * As {@link #JavaCppTfliteEngine(Path, Path, Path, EngineOptions)}, with intermediate tensors (by index in the
     * main subgraph) kept readable after {@link #invoke()} through {@link #tensorData(int)}: listing them as
     * interpreter outputs before the tensors are allocated keeps the arena from reusing their memory. Used to
     * calibrate an int8 build on real frames.
     */
    public JavaCppTfliteEngine(Path cpuModel, Path int8Model, Path edgeTpuModel, EngineOptions options, int[] keepReadable)
            throws EngineException {
        EdgeTpuDelegate tpu = null;
        String why = "";
        Path file = cpuModel;
        if (options.useEdgeTpu()) {
            if (edgeTpuModel == null) {
                why = "Edge TPU requested but the model package has no Edge TPU build";
            } else {
                try {
                    tpu = EdgeTpuDelegate.create(options.edgeTpuLibrary());
                    file = edgeTpuModel;
                } catch (EngineException | RuntimeException | LinkageError e) {
                    why = "Edge TPU unavailable: " + e.getMessage();
                }
            }
        } else if (edgeTpuModel != null) {
            why = "Edge TPU build not used (use.edgetpu=false)";
        }
        if (tpu != null) {
            build = BUILD_EDGETPU;
            buildReason = "Edge TPU delegate from " + options.edgeTpuLibrary() + " found a device";
        } else if (int8Model != null) {
            file = int8Model;
            build = BUILD_INT8;
            why = why.isEmpty() ? "" : why + "; running the int8 build on CPU";
            buildReason = why.isEmpty() ? "the package's int8 build runs on CPU" : why;
        } else {
            build = BUILD_FLOAT;
            why = why.isEmpty() ? "" : why + "; running on CPU";
            buildReason = (why.isEmpty() ? "" : why + "; ") + "the package has no int8 build";
        }
        if (options.useEdgeTpu()) {
            if (edgeTpuModel == null) {
                // expected for CPU-only packages: say it, but it is no fault
                LOG.info(why);
            } else if (tpu == null) {
                LOG.warn(why);
            }
        }
        this.edgeTpu = tpu;
        this.note = why;
        try {
            byte[] bytes = Files.readAllBytes(file);
            // the model keeps pointing into this buffer, so it lives as long as the engine
            modelBytes = new BytePointer(bytes.length);
            modelBytes.put(bytes);
            model = FlatBufferModel.VerifyAndBuildFromBuffer(modelBytes, bytes.length);
            if (model == null || model.isNull()) {
                modelBytes.deallocate();
                throw new EngineException(file + " is not a valid TFLite flatbuffer (corrupt or truncated, " + bytes.length + " bytes)");
            }
            resolver = new BuiltinOpResolverWithXNNPACK(true);
            InterpreterBuilder builder = new InterpreterBuilder(model, resolver);
            builder.SetNumThreads(Math.max(1, options.threads()));
            if (tpu != null) {
                builder.AddDelegate(tpu.delegate());
            }
            interpreter = new Interpreter((Pointer) null);
            if (builder.apply(interpreter) != TFLITE_OK || interpreter.isNull()) {
                throw new EngineException(file + ": interpreter could not be built (unsupported operators?)");
            }
            builder.deallocate();
            modelOutputs = (int) interpreter.outputs().limit();
            if (keepReadable.length > 0) {
                int[] outs = Arrays.copyOf(toArray(interpreter.outputs()), modelOutputs + keepReadable.length);
                System.arraycopy(keepReadable, 0, outs, modelOutputs, keepReadable.length);
                if (interpreter.SetOutputs(outs) != TFLITE_OK) {
                    throw new EngineException(file + ": cannot keep tensors " + Arrays.toString(keepReadable) + " readable");
                }
            }
            if (interpreter.AllocateTensors() != TFLITE_OK) {
                throw new EngineException(file + ": tensors could not be allocated");
            }
            tensors(readTensors(file));
        } catch (java.io.IOException e) {
            closeQuietly(tpu);
            throw new EngineException("cannot read model " + file + ": " + e.getMessage(), e);
        } catch (EngineException | RuntimeException e) {
            closeQuietly(tpu);
            throw e;
        }
    }

    /** Finds the input and the outputs: two raw SSD outputs, or the four of TFLite_Detection_PostProcess. */
    private Tensors readTensors(Path file) throws EngineException {
        TfLiteTensor in = interpreter.input_tensor(0);
        int[] inShape = shape(in);
        TensorFormat format = format(in, file, "input");
        if (inShape.length != 4 || inShape[0] != 1 || inShape[3] != 3) {
            throw new EngineException(file + ": expected a [1,H,W,3] input, found shape " + Arrays.toString(inShape));
        }
        ByteBuffer inBytes = bytes(in);
        FloatBuffer inFloats = format.quantized() ? null : inBytes.asFloatBuffer();
        int outputs = modelOutputs;
        if (outputs == 4) {
            return postProcessed(file, inShape, inBytes, inFloats, format);
        }
        TfLiteTensor a = interpreter.output_tensor(0);
        TfLiteTensor b = interpreter.output_tensor(1);
        if (outputs != 2 || a == null || b == null || a.isNull() || b.isNull()) {
            throw new EngineException(file + ": expected two outputs (box encodings, class predictions) or the four of "
                    + "TFLite_Detection_PostProcess, found " + outputs);
        }
        int[] sa = shape(a);
        int[] sb = shape(b);
        // the box tensor is the one whose last dimension is 4
        if (sa[sa.length - 1] != 4) {
            TfLiteTensor t = a;
            a = b;
            b = t;
            int[] s = sa;
            sa = sb;
            sb = s;
        }
        if (sa.length != 3 || sa[2] != 4 || sb.length != 3 || sa[1] != sb[1]) {
            throw new EngineException(file + ": outputs are not SSD raw outputs [1,N,4] and [1,N,C]: "
                    + Arrays.toString(sa) + " " + Arrays.toString(sb));
        }
        FloatBuffer boxes = output(a, file, "box encodings");
        FloatBuffer logits = output(b, file, "class predictions");
        return new Tensors(inShape[2], inShape[1], inFloats, inBytes, format, sa[1], sb[2], boxes, logits, false, null, null);
    }

    private Tensors postProcessed(Path file, int[] inShape, ByteBuffer inBytes, FloatBuffer inFloats, TensorFormat format)
            throws EngineException {
        TfLiteTensor boxes = interpreter.output_tensor(0);
        TfLiteTensor classes = interpreter.output_tensor(1);
        TfLiteTensor scores = interpreter.output_tensor(2);
        TfLiteTensor count = interpreter.output_tensor(3);
        int[] sb = shape(boxes);
        int[] sc = shape(classes);
        int[] ss = shape(scores);
        int[] sn = shape(count);
        boolean ok = sb.length == 3 && sb[2] == 4 && sc.length == 2 && ss.length == 2 && sc[1] == sb[1] && ss[1] == sb[1]
                && sn.length == 1 && sn[0] == 1;
        for (TfLiteTensor t : new TfLiteTensor[] {boxes, classes, scores, count}) {
            ok &= t.type() == TFLITE_FLOAT32;
        }
        if (!ok) {
            throw new EngineException(file + ": four outputs but not those of TFLite_Detection_PostProcess "
                    + "(float32 boxes [1,N,4], classes [1,N], scores [1,N], count [1]): " + Arrays.toString(sb) + " "
                    + Arrays.toString(sc) + " " + Arrays.toString(ss) + " " + Arrays.toString(sn));
        }
        return new Tensors(inShape[2], inShape[1], inFloats, inBytes, format, sb[1], 0, floats(boxes), floats(scores), true,
                floats(classes), floats(count));
    }

    private static TensorFormat format(TfLiteTensor t, Path file, String what) throws EngineException {
        switch (t.type()) {
            case TFLITE_FLOAT32:
                return TensorFormat.FLOAT32;
            case TFLITE_UINT8:
            case TFLITE_INT8:
                TfLiteQuantizationParams q = t.params();
                float scale = q.scale();
                int zero = q.zero_point();
                boolean signed = t.type() == TFLITE_INT8;
                // the registry refuses such models; the engine must not run on garbage either
                if (!(scale > 0) || Float.isInfinite(scale) || zero < (signed ? -128 : 0) || zero > (signed ? 127 : 255)) {
                    throw new EngineException(file + ": " + what + " " + t.name().getString() + " has an invalid quantization (scale "
                            + scale + ", zero point " + zero + ")");
                }
                return new TensorFormat(signed ? TensorFormat.Type.INT8 : TensorFormat.Type.UINT8, scale, zero);
            default:
                throw new EngineException(file + ": " + what + " " + t.name().getString() + " has type " + t.type()
                        + " (expected float32, uint8 or int8)");
        }
    }

    /** A float output as is; an 8-bit one is dequantized after every invoke into a buffer of its own. */
    private FloatBuffer output(TfLiteTensor t, Path file, String what) throws EngineException {
        TensorFormat f = format(t, file, what);
        if (!f.quantized()) {
            return floats(t);
        }
        ByteBuffer raw = bytes(t);
        FloatBuffer out = ByteBuffer.allocateDirect(raw.capacity() * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
        dequantize = Arrays.copyOf(dequantize, dequantize.length + 1);
        dequantize[dequantize.length - 1] = new Dequantize(raw, out, f.scale(), f.zeroPoint(), f.type() == TensorFormat.Type.INT8);
        return out;
    }

    /** real = scale * (q - zeroPoint), through a 256-entry table. */
    private static final class Dequantize {
        private final ByteBuffer raw;
        private final FloatBuffer out;
        private final float[] table = new float[256];

        Dequantize(ByteBuffer raw, FloatBuffer out, float scale, int zeroPoint, boolean signed) {
            this.raw = raw;
            this.out = out;
            for (int b = 0; b < 256; b++) {
                int q = signed ? (byte) b : b;
                table[b] = scale * (q - zeroPoint);
            }
        }

        void run() {
            for (int i = 0, n = raw.capacity(); i < n; i++) {
                out.put(i, table[raw.get(i) & 0xff]);
            }
        }
    }

    private static int[] toArray(org.bytedeco.javacpp.IntPointer p) {
        int[] a = new int[(int) p.limit()];
        p.get(a);
        return a;
    }

    /** A float32 tensor's memory after {@link #invoke()}; for tensors listed as kept readable at construction. */
    public FloatBuffer tensorData(int index) {
        TfLiteTensor t = interpreter.tensor(index);
        if (t == null || t.isNull() || t.type() != TFLITE_FLOAT32 || t.data().raw() == null || t.data().raw().isNull()) {
            throw new IllegalArgumentException("tensor " + index + " is not a readable float32 tensor");
        }
        return floats(t);
    }

    private static void closeQuietly(EdgeTpuDelegate tpu) {
        if (tpu != null) {
            tpu.close();
        }
    }

    private static int[] shape(TfLiteTensor t) {
        TfLiteIntArray dims = t.dims();
        int[] s = new int[dims.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = dims.data(i);
        }
        return s;
    }

    private static FloatBuffer floats(TfLiteTensor t) {
        return bytes(t).asFloatBuffer();
    }

    /** The tensor's own memory. */
    private static ByteBuffer bytes(TfLiteTensor t) {
        BytePointer p = new BytePointer(t.data().raw());
        p.capacity(t.bytes());
        return p.asByteBuffer().order(ByteOrder.nativeOrder());
    }

    @Override
    public String backend() {
        return BACKEND;
    }

    @Override
    public String accelerator() {
        return edgeTpu != null ? "edgetpu" : "cpu";
    }

    @Override
    public String note() {
        return note;
    }

    @Override
    public String build() {
        return build;
    }

    @Override
    public String buildReason() {
        return buildReason;
    }

    @Override
    public void invoke() throws EngineException {
        if (interpreter.Invoke() != TFLITE_OK) {
            throw new EngineException("TFLite Invoke failed");
        }
        for (Dequantize d : dequantize) {
            d.run();
        }
    }

    @Override
    public void close() {
        interpreter.deallocate();
        closeQuietly(edgeTpu);
        resolver.deallocate();
        model.deallocate();
        modelBytes.deallocate();
    }
}

package io.edgetune.inference.internal;

import io.edgetune.inference.engine.EngineOptions;
import io.edgetune.inference.engine.EngineException;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.tensorflowlite.BuiltinOpResolverWithXNNPACK;
import org.bytedeco.tensorflowlite.FlatBufferModel;
import org.bytedeco.tensorflowlite.Interpreter;
import org.bytedeco.tensorflowlite.InterpreterBuilder;
import org.bytedeco.tensorflowlite.TfLiteIntArray;
import org.bytedeco.tensorflowlite.TfLiteTensor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** TensorFlow Lite 2.20 through the JavaCPP presets, XNNPACK on CPU, optional Edge TPU delegate. */
public final class JavaCppTfliteEngine extends SsdEngine {

    public static final String BACKEND = "tflite-javacpp";
    private static final Logger LOG = LoggerFactory.getLogger(JavaCppTfliteEngine.class);
    private static final int TFLITE_FLOAT32 = 1;
    private static final int TFLITE_OK = 0;

    private final BytePointer modelBytes;
    private final FlatBufferModel model;
    private final BuiltinOpResolverWithXNNPACK resolver;
    private final Interpreter interpreter;
    private final EdgeTpuDelegate edgeTpu;
    private final String note;

    /**
     * @param cpuModel     the plain TFLite model
     * @param edgeTpuModel the same model compiled for the Edge TPU, or null
     */
    public JavaCppTfliteEngine(Path cpuModel, Path edgeTpuModel, EngineOptions options) throws EngineException {
        EdgeTpuDelegate tpu = null;
        String why = "";
        Path file = cpuModel;
        if (options.useEdgeTpu()) {
            if (edgeTpuModel == null) {
                why = "Edge TPU requested but the model package has no Edge TPU build; running on CPU";
            } else {
                try {
                    tpu = EdgeTpuDelegate.create(options.edgeTpuLibrary());
                    file = edgeTpuModel;
                } catch (EngineException | RuntimeException | LinkageError e) {
                    why = "Edge TPU unavailable: " + e.getMessage() + "; running on CPU";
                }
            }
            if (edgeTpuModel == null) {
                // expected for CPU-only packages: say it, but it is no fault
                LOG.info(why);
            } else if (!why.isEmpty()) {
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
            if (interpreter.AllocateTensors() != TFLITE_OK) {
                throw new EngineException(file + ": tensors could not be allocated");
            }
            TfLiteTensor in = interpreter.input_tensor(0);
            int[] inShape = shape(in);
            if (in.type() != TFLITE_FLOAT32 || inShape.length != 4 || inShape[3] != 3) {
                throw new EngineException(file + ": expected a float32 [1,H,W,3] input, found type " + in.type() + " shape " + java.util.Arrays.toString(inShape));
            }
            TfLiteTensor a = interpreter.output_tensor(0);
            TfLiteTensor b = interpreter.output_tensor(1);
            if (a == null || b == null || a.isNull() || b.isNull()) {
                throw new EngineException(file + ": expected two outputs (box encodings, class predictions)");
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
            if (sa.length != 3 || sa[2] != 4 || sb.length != 3 || sa[1] != sb[1] || a.type() != TFLITE_FLOAT32 || b.type() != TFLITE_FLOAT32) {
                throw new EngineException(file + ": outputs are not SSD raw outputs [1,N,4] and [1,N,C]: "
                        + java.util.Arrays.toString(sa) + " " + java.util.Arrays.toString(sb));
            }
            tensors(new Tensors(inShape[2], inShape[1], floats(in), sa[1], sb[2], floats(a), floats(b)));
        } catch (java.io.IOException e) {
            closeQuietly(tpu);
            throw new EngineException("cannot read model " + file + ": " + e.getMessage(), e);
        } catch (EngineException | RuntimeException e) {
            closeQuietly(tpu);
            throw e;
        }
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
        FloatPointer p = new FloatPointer(t.data().f());
        p.capacity(t.bytes() / Float.BYTES);
        return p.asByteBuffer().order(ByteOrder.nativeOrder()).asFloatBuffer();
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
    public void invoke() throws EngineException {
        if (interpreter.Invoke() != TFLITE_OK) {
            throw new EngineException("TFLite Invoke failed");
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

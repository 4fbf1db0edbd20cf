package io.edgetune.tflite;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.tensorflowlite.BuiltinOpResolverWithXNNPACK;
import org.bytedeco.tensorflowlite.FlatBufferModel;
import org.bytedeco.tensorflowlite.Interpreter;
import org.bytedeco.tensorflowlite.InterpreterBuilder;
import org.bytedeco.tensorflowlite.TfLiteTensor;

/** The real TFLite 2.20 interpreter (XNNPACK on) over model bytes, for the tests: verify, build, run, read outputs. */
final class Tflite implements AutoCloseable {

    private static final int kTfLiteOk = 0;

    private final BytePointer bytes;
    private final FlatBufferModel model;
    private final BuiltinOpResolverWithXNNPACK resolver;
    final Interpreter interpreter;

    Tflite(byte[] file) {
        bytes = new BytePointer(file.length);
        bytes.put(file);
        model = FlatBufferModel.VerifyAndBuildFromBuffer(bytes, file.length);
        if (model == null || model.isNull()) {
            throw new IllegalStateException("TFLite's verifier refuses the model");
        }
        resolver = new BuiltinOpResolverWithXNNPACK(true);
        InterpreterBuilder builder = new InterpreterBuilder(model, resolver);
        builder.SetNumThreads(1);
        interpreter = new Interpreter((Pointer) null);
        if (builder.apply(interpreter) != kTfLiteOk || interpreter.isNull()) {
            throw new IllegalStateException("TFLite cannot build an interpreter for the model");
        }
        builder.deallocate();
        if (interpreter.AllocateTensors() != kTfLiteOk) {
            throw new IllegalStateException("TFLite cannot allocate the model's tensors");
        }
    }

    ByteBuffer input(int i) {
        return data(interpreter.input_tensor(i));
    }

    ByteBuffer output(int i) {
        return data(interpreter.output_tensor(i));
    }

    void invoke() {
        if (interpreter.Invoke() != kTfLiteOk) {
            throw new IllegalStateException("Invoke failed");
        }
    }

    static ByteBuffer data(TfLiteTensor t) {
        BytePointer p = new BytePointer(t.data().raw());
        p.capacity(t.bytes());
        return p.asByteBuffer().order(ByteOrder.nativeOrder());
    }

    @Override
    public void close() {
        interpreter.deallocate();
        resolver.deallocate();
        model.deallocate();
        bytes.deallocate();
    }
}

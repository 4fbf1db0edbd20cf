package io.edgetune.trainer;

import io.edgetune.tflite.Buffer;
import io.edgetune.tflite.TensorType;
import io.edgetune.tflite.TfliteException;
import io.edgetune.tflite.TfliteModel;
import java.util.ArrayList;
import java.util.List;

/**
 * The trainer's view of a model file: constant tensors and where their bytes sit in the file, so new head weights
 * can be written over a copy of the original bytes (same graph, same size). Parsing is io.edgetune.tflite's, the
 * one TFLite reader of the project.
 */
final class TfliteFile {

    /** Schema TensorType values. */
    static final int FLOAT32 = TensorType.FLOAT32;
    static final int FLOAT16 = TensorType.FLOAT16;
    /** Schema BuiltinOperator values. */
    static final int OP_CONV_2D = io.edgetune.tflite.BuiltinOperator.CONV_2D;
    static final int OP_DEQUANTIZE = io.edgetune.tflite.BuiltinOperator.DEQUANTIZE;

    record Tensor(int index, String name, int type, int[] shape, int buffer) {
    }

    record Operator(int builtin, int[] inputs, int[] outputs) {
    }

    /** Where a buffer's bytes are in the file; length 0 when the buffer is empty (not a constant). */
    record Span(long offset, long length) {
    }

    final TfliteModel model;
    final List<Tensor> tensors = new ArrayList<>();
    final List<Operator> operators = new ArrayList<>();
    final List<Span> buffers = new ArrayList<>();
    /** Output tensor indices of the main subgraph. */
    final int[] outputs;

    private TfliteFile(TfliteModel m) {
        this.model = m;
        for (Buffer b : m.buffers) {
            buffers.add(b.isEmpty() || b.fileOffset < 0 ? new Span(0, 0) : new Span(b.fileOffset, b.data.length));
        }
        List<io.edgetune.tflite.Tensor> ts = m.main().tensors;
        for (int i = 0; i < ts.size(); i++) {
            io.edgetune.tflite.Tensor t = ts.get(i);
            tensors.add(new Tensor(i, t.name, t.type, t.shape, t.buffer));
        }
        for (io.edgetune.tflite.Operator op : m.main().operators) {
            operators.add(new Operator(m.builtin(op), op.inputs, op.outputs));
        }
        outputs = m.main().outputs;
    }

    static TfliteFile parse(byte[] bytes) throws TrainingException {
        try {
            return new TfliteFile(TfliteModel.read(bytes));
        } catch (TfliteException e) {
            throw new TrainingException(e.getMessage());
        }
    }

    Span span(Tensor t) {
        return t.buffer() >= 0 && t.buffer() < buffers.size() ? buffers.get(t.buffer()) : new Span(0, 0);
    }

    /** The operator that writes the tensor, or null (inputs and constants). */
    Operator producer(int tensor) {
        for (Operator op : operators) {
            for (int o : op.outputs()) {
                if (o == tensor) {
                    return op;
                }
            }
        }
        return null;
    }
}

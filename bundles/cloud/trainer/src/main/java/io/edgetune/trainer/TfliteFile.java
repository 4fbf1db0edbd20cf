package io.edgetune.trainer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Just enough of the TFLite flatbuffer schema to find constant tensors and
 * where their bytes sit in the file: Model.subgraphs[0].tensors/operators,
 * Model.buffers, Model.operator_codes. Every offset is bounds-checked, so a
 * truncated or foreign file fails with a message instead of garbage.
 */
final class TfliteFile {

    /** Schema TensorType values. */
    static final int FLOAT32 = 0;
    static final int FLOAT16 = 1;
    /** Schema BuiltinOperator values. */
    static final int OP_CONV_2D = 3;
    static final int OP_DEQUANTIZE = 6;

    record Tensor(int index, String name, int type, int[] shape, int buffer) {
    }

    record Operator(int builtin, int[] inputs, int[] outputs) {
    }

    /** Where a buffer's bytes are in the file; length 0 when the buffer is empty (not a constant). */
    record Span(long offset, long length) {
    }

    private final ByteBuffer b;
    final List<Tensor> tensors = new ArrayList<>();
    final List<Operator> operators = new ArrayList<>();
    final List<Span> buffers = new ArrayList<>();
    /** Output tensor indices of the main subgraph. */
    int[] outputs = new int[0];

    private TfliteFile(byte[] bytes) {
        this.b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    static TfliteFile parse(byte[] bytes) throws TrainingException {
        if (bytes.length < 8 || bytes[4] != 'T' || bytes[5] != 'F' || bytes[6] != 'L' || bytes[7] != '3') {
            throw new TrainingException("not a TFLite model (no TFL3 identifier, " + bytes.length + " bytes)");
        }
        TfliteFile f = new TfliteFile(bytes);
        try {
            f.read();
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            throw new TrainingException("TFLite model is truncated or corrupt (" + bytes.length + " bytes): " + e.getMessage());
        }
        return f;
    }

    private void read() {
        int model = offsetAt(0);
        int[] codes = tableVector(field(model, 1));
        int[] builtin = new int[codes.length];
        for (int i = 0; i < codes.length; i++) {
            int deprecated = field(codes[i], 0) == 0 ? 0 : b.get(field(codes[i], 0));
            int code = field(codes[i], 3) == 0 ? 0 : b.getInt(field(codes[i], 3));
            // newer files keep small codes in the deprecated byte too; the larger of the two is the real one
            builtin[i] = Math.max(deprecated, code);
        }
        int[] bufs = tableVector(field(model, 4));
        for (int buf : bufs) {
            int data = field(buf, 0);
            int offsetField = field(buf, 1);
            if (offsetField != 0 && b.getLong(offsetField) > 1) {
                // models over 2 GB keep data after the flatbuffer: offset/size fields, absolute in the file
                long off = b.getLong(offsetField);
                long size = field(buf, 2) == 0 ? 0 : b.getLong(field(buf, 2));
                check(off + size <= b.capacity(), "buffer past the end of the file");
                buffers.add(new Span(off, size));
            } else if (data != 0) {
                int vec = deref(data);
                int n = b.getInt(vec);
                check(n >= 0 && vec + 4L + n <= b.capacity(), "buffer data past the end of the file");
                buffers.add(new Span(vec + 4L, n));
            } else {
                buffers.add(new Span(0, 0));
            }
        }
        int[] subgraphs = tableVector(field(model, 2));
        check(subgraphs.length > 0, "no subgraph");
        int sg = subgraphs[0];
        outputs = intVector(field(sg, 2));
        int[] ts = tableVector(field(sg, 0));
        for (int i = 0; i < ts.length; i++) {
            int t = ts[i];
            int typeField = field(t, 1);
            int bufField = field(t, 2);
            tensors.add(new Tensor(i, string(field(t, 3)), typeField == 0 ? FLOAT32 : b.get(typeField),
                    intVector(field(t, 0)), bufField == 0 ? 0 : b.getInt(bufField)));
        }
        for (int op : tableVector(field(sg, 3))) {
            int idx = field(op, 0) == 0 ? 0 : b.getInt(field(op, 0));
            check(idx >= 0 && idx < builtin.length, "operator code index " + idx + " out of range");
            operators.add(new Operator(builtin[idx], intVector(field(op, 1)), intVector(field(op, 2))));
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

    // --- flatbuffer primitives -------------------------------------------------------------

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalArgumentException(what);
        }
    }

    /** Follows the uoffset stored at pos. */
    private int deref(int pos) {
        long target = pos + (b.getInt(pos) & 0xffffffffL);
        check(target + 4 <= b.capacity(), "offset past the end of the file at " + pos);
        return (int) target;
    }

    private int offsetAt(int pos) {
        return deref(pos);
    }

    /** Absolute position of a table's field, or 0 when absent. */
    private int field(int table, int id) {
        int vtable = table - b.getInt(table);
        check(vtable >= 0 && vtable + 4 <= b.capacity(), "vtable out of range");
        int vsize = b.getShort(vtable) & 0xffff;
        int slot = 4 + 2 * id;
        if (slot + 2 > vsize) {
            return 0;
        }
        int rel = b.getShort(vtable + slot) & 0xffff;
        if (rel == 0) {
            return 0;
        }
        check(table + rel < b.capacity(), "field past the end of the file");
        return table + rel;
    }

    private int[] tableVector(int fieldPos) {
        return vector(fieldPos, true);
    }

    private int[] intVector(int fieldPos) {
        return vector(fieldPos, false);
    }

    /** A vector of 32-bit entries: offsets to tables (dereferenced) or plain ints. */
    private int[] vector(int fieldPos, boolean tables) {
        if (fieldPos == 0) {
            return new int[0];
        }
        int vec = deref(fieldPos);
        int n = b.getInt(vec);
        check(n >= 0 && vec + 4L + 4L * n <= b.capacity(), "vector past the end of the file");
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int at = vec + 4 + 4 * i;
            out[i] = tables ? deref(at) : b.getInt(at);
        }
        return out;
    }

    private String string(int fieldPos) {
        if (fieldPos == 0) {
            return "";
        }
        int s = deref(fieldPos);
        int n = b.getInt(s);
        check(n >= 0 && s + 4L + n <= b.capacity(), "string past the end of the file");
        return new String(b.array(), s + 4, n, StandardCharsets.UTF_8);
    }
}

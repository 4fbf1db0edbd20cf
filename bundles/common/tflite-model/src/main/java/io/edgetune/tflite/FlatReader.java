package io.edgetune.tflite;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Flatbuffer to {@link TfliteModel}; field ids are those of the TFLite schema. */
final class FlatReader {

    private final ByteBuffer b;
    private final byte[] bytes;

    private FlatReader(byte[] bytes) {
        this.bytes = bytes;
        this.b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    static TfliteModel read(byte[] bytes) throws TfliteException {
        if (bytes.length < 8 || bytes[4] != 'T' || bytes[5] != 'F' || bytes[6] != 'L' || bytes[7] != '3') {
            throw new TfliteException("not a TFLite model (no TFL3 identifier, " + bytes.length + " bytes)");
        }
        try {
            return new FlatReader(bytes).model();
        } catch (IndexOutOfBoundsException | IllegalArgumentException | NegativeArraySizeException e) {
            throw new TfliteException("TFLite model is truncated or corrupt (" + bytes.length + " bytes): " + e.getMessage());
        }
    }

    private TfliteModel model() throws TfliteException {
        TfliteModel m = new TfliteModel();
        int root = deref(0);
        m.version = (int) scalar(root, 0, 4, 0);
        for (int c : tables(field(root, 1))) {
            int deprecated = (int) scalar(c, 0, 1, 0);
            int code = (int) scalar(c, 3, 4, 0);
            // newer files keep small codes in the deprecated byte too; the larger of the two is the real one
            m.operatorCodes.add(new OperatorCode(Math.max(deprecated, code), string(field(c, 1)), (int) scalar(c, 2, 4, 1)));
        }
        for (int buf : tables(field(root, 4))) {
            int offsetField = field(buf, 1);
            if (offsetField != 0 && b.getLong(offsetField) > 1) {
                // models over 2 GB keep data after the flatbuffer: offset/size fields, absolute in the file
                long off = b.getLong(offsetField);
                long size = scalar(buf, 2, 8, 0);
                check(off >= 0 && size >= 0 && off + size <= bytes.length, "buffer past the end of the file");
                m.buffers.add(new Buffer(Arrays.copyOfRange(bytes, (int) off, (int) (off + size)), off));
            } else if (field(buf, 0) != 0) {
                int vec = deref(field(buf, 0));
                int n = b.getInt(vec);
                check(n >= 0 && vec + 4L + n <= bytes.length, "buffer data past the end of the file");
                m.buffers.add(new Buffer(Arrays.copyOfRange(bytes, vec + 4, vec + 4 + n), vec + 4L));
            } else {
                m.buffers.add(new Buffer(new byte[0], -1));
            }
        }
        int[] sgs = tables(field(root, 2));
        check(sgs.length > 0, "no subgraph");
        for (int sg : sgs) {
            m.subgraphs.add(subgraph(sg, m));
        }
        m.description = string(field(root, 3));
        m.metadataBuffer = field(root, 5) == 0 ? null : ints(field(root, 5));
        for (int md : tables(field(root, 6))) {
            m.metadata.add(new TfliteModel.Metadata(string(field(md, 0)), (int) scalar(md, 1, 4, 0)));
        }
        for (int sd : tables(field(root, 7))) {
            TfliteModel.SignatureDef s = new TfliteModel.SignatureDef();
            for (int tm : tables(field(sd, 0))) {
                s.inputs.add(new TfliteModel.TensorMap(string(field(tm, 0)), (int) scalar(tm, 1, 4, 0)));
            }
            for (int tm : tables(field(sd, 1))) {
                s.outputs.add(new TfliteModel.TensorMap(string(field(tm, 0)), (int) scalar(tm, 1, 4, 0)));
            }
            s.signatureKey = string(field(sd, 2));
            s.subgraphIndex = (int) scalar(sd, 4, 4, 0);
            m.signatureDefs.add(s);
        }
        return m;
    }

    private Subgraph subgraph(int sg, TfliteModel m) throws TfliteException {
        Subgraph g = new Subgraph();
        g.inputs = ints(field(sg, 1));
        g.outputs = ints(field(sg, 2));
        g.name = string(field(sg, 4));
        int[] ts = tables(field(sg, 0));
        for (int i = 0; i < ts.length; i++) {
            int t = ts[i];
            Tensor x = new Tensor();
            x.shape = ints(field(t, 0));
            x.type = (int) scalar(t, 1, 1, 0);
            x.buffer = (int) scalar(t, 2, 4, 0);
            String name = string(field(t, 3));
            x.name = name == null ? "" : name;
            if (field(t, 4) != 0) {
                x.quantization = quantization(deref(field(t, 4)), x.name);
            }
            x.isVariable = scalar(t, 5, 1, 0) != 0;
            if (field(t, 6) != 0) {
                throw new TfliteException("tensor " + i + " (" + x.name + ") is sparse; sparse tensors are not supported");
            }
            x.shapeSignature = field(t, 7) == 0 ? null : ints(field(t, 7));
            x.hasRank = scalar(t, 8, 1, 0) != 0;
            if (field(t, 9) != 0) {
                throw new TfliteException("tensor " + i + " (" + x.name + ") has variant subtypes; not supported");
            }
            check(x.buffer >= 0 && x.buffer < Math.max(1, m.buffers.size()), "tensor " + i + " buffer index out of range");
            g.tensors.add(x);
        }
        for (int op : tables(field(sg, 3))) {
            Operator o = new Operator();
            o.opcodeIndex = (int) scalar(op, 0, 4, 0);
            check(o.opcodeIndex >= 0 && o.opcodeIndex < m.operatorCodes.size(),
                    "operator code index " + o.opcodeIndex + " out of range");
            o.inputs = ints(field(op, 1));
            o.outputs = ints(field(op, 2));
            int optType = (int) scalar(op, 3, 1, 0);
            if (optType != 0) {
                if (!BuiltinOptions.supported(optType)) {
                    throw new TfliteException("operator " + g.operators.size() + " has builtin options type " + optType
                            + ", which this reader does not carry");
                }
                o.builtinOptions = options(optType, field(op, 4) == 0 ? 0 : deref(field(op, 4)));
            }
            o.customOptions = field(op, 5) == 0 ? null : bytesVector(field(op, 5));
            o.customOptionsFormat = (int) scalar(op, 6, 1, 0);
            if (field(op, 7) != 0) {
                byte[] mv = bytesVector(field(op, 7));
                o.mutatingVariableInputs = new boolean[mv.length];
                for (int i = 0; i < mv.length; i++) {
                    o.mutatingVariableInputs[i] = mv[i] != 0;
                }
            }
            o.intermediates = field(op, 8) == 0 ? null : ints(field(op, 8));
            if (scalar(op, 9, 8, 0) != 0 || scalar(op, 11, 1, 0) != 0) {
                throw new TfliteException("operator " + g.operators.size() + " uses large custom options or builtin options 2; not supported");
            }
            for (int i : o.inputs) {
                check(i >= -1 && i < ts.length, "operator input " + i + " out of range");
            }
            for (int i : o.outputs) {
                check(i >= 0 && i < ts.length, "operator output " + i + " out of range");
            }
            g.operators.add(o);
        }
        for (int i : g.inputs) {
            check(i >= 0 && i < ts.length, "subgraph input " + i + " out of range");
        }
        for (int i : g.outputs) {
            check(i >= 0 && i < ts.length, "subgraph output " + i + " out of range");
        }
        return g;
    }

    private Quantization quantization(int q, String tensor) throws TfliteException {
        Quantization x = new Quantization();
        x.min = floats(field(q, 0));
        x.max = floats(field(q, 1));
        x.scale = floats(field(q, 2));
        x.zeroPoint = longs(field(q, 3));
        if (scalar(q, 4, 1, 0) != 0) {
            throw new TfliteException("tensor " + tensor + " uses custom quantization details; not supported");
        }
        x.quantizedDimension = (int) scalar(q, 6, 4, 0);
        return x;
    }

    private BuiltinOptions options(int type, int table) {
        BuiltinOptions o = new BuiltinOptions(type);
        if (table == 0) {
            return o;
        }
        String layout = o.layout();
        for (int f = 0; f < layout.length(); f++) {
            int pos = field(table, f);
            if (pos == 0) {
                continue;
            }
            switch (layout.charAt(f)) {
                case 'b': o.fields[f] = (long) b.get(pos); break;
                case 'i': o.fields[f] = (long) b.getInt(pos); break;
                case 'f': o.fields[f] = b.getFloat(pos); break;
                default: o.fields[f] = ints(pos); break;
            }
        }
        return o;
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
        check(target + 4 <= bytes.length, "offset past the end of the file at " + pos);
        return (int) target;
    }

    /** Absolute position of a table's field, or 0 when absent. */
    private int field(int table, int id) {
        int vtable = table - b.getInt(table);
        check(vtable >= 0 && vtable + 4 <= bytes.length, "vtable out of range");
        int vsize = b.getShort(vtable) & 0xffff;
        int slot = 4 + 2 * id;
        if (slot + 2 > vsize) {
            return 0;
        }
        int rel = b.getShort(vtable + slot) & 0xffff;
        if (rel == 0) {
            return 0;
        }
        check(table + rel < bytes.length, "field past the end of the file");
        return table + rel;
    }

    /** A scalar field of 1, 4 or 8 bytes (signed), or the default when absent. */
    private long scalar(int table, int id, int size, long def) {
        int pos = field(table, id);
        if (pos == 0) {
            return def;
        }
        check(pos + size <= bytes.length, "field past the end of the file");
        return size == 1 ? b.get(pos) : size == 4 ? b.getInt(pos) : b.getLong(pos);
    }

    /** Start of a vector's elements and its length, checked against the file size. */
    private int vector(int fieldPos, int elementSize, int[] length) {
        int vec = deref(fieldPos);
        int n = b.getInt(vec);
        check(n >= 0 && vec + 4L + (long) elementSize * n <= bytes.length, "vector past the end of the file");
        length[0] = n;
        return vec + 4;
    }

    private int[] tables(int fieldPos) {
        if (fieldPos == 0) {
            return new int[0];
        }
        int[] n = new int[1];
        int at = vector(fieldPos, 4, n);
        int[] out = new int[n[0]];
        for (int i = 0; i < out.length; i++) {
            out[i] = deref(at + 4 * i);
        }
        return out;
    }

    private int[] ints(int fieldPos) {
        if (fieldPos == 0) {
            return new int[0];
        }
        int[] n = new int[1];
        int at = vector(fieldPos, 4, n);
        int[] out = new int[n[0]];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.getInt(at + 4 * i);
        }
        return out;
    }

    private float[] floats(int fieldPos) {
        if (fieldPos == 0) {
            return new float[0];
        }
        int[] n = new int[1];
        int at = vector(fieldPos, 4, n);
        float[] out = new float[n[0]];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.getFloat(at + 4 * i);
        }
        return out;
    }

    private long[] longs(int fieldPos) {
        if (fieldPos == 0) {
            return new long[0];
        }
        int[] n = new int[1];
        int at = vector(fieldPos, 8, n);
        long[] out = new long[n[0]];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.getLong(at + 8 * i);
        }
        return out;
    }

    private byte[] bytesVector(int fieldPos) {
        int[] n = new int[1];
        int at = vector(fieldPos, 1, n);
        return Arrays.copyOfRange(bytes, at, at + n[0]);
    }

    private String string(int fieldPos) {
        if (fieldPos == 0) {
            return null;
        }
        int[] n = new int[1];
        int at = vector(fieldPos, 1, n);
        return new String(bytes, at, n[0], StandardCharsets.UTF_8);
    }
}

package io.edgetune.tflite;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * {@link TfliteModel} to flatbuffer, written front to back: a table is written before its children, so every
 * uoffset points forward as the format requires; vtables sit just before their table. Scalars are aligned to
 * their size, vectors to their element size and constant data to 16 bytes, all relative to the file start, which
 * is what the TFLite verifier checks.
 */
final class FlatWriter {

    /** Writes a child object and returns its position. */
    private interface Child {
        int write();
    }

    /** One field of a table: a scalar of 1, 4 or 8 bytes, or an offset to a child. */
    private static final class Field {
        final int id;
        final int size;
        final long bits;
        final Child child;

        Field(int id, int size, long bits, Child child) {
            this.id = id;
            this.size = size;
            this.bits = bits;
            this.child = child;
        }
    }

    private byte[] out = new byte[1 << 16];
    private int pos;

    byte[] write(TfliteModel m) {
        pos = 8;
        ensure(8);
        out[4] = 'T';
        out[5] = 'F';
        out[6] = 'L';
        out[7] = '3';
        int root = model(m);
        putInt(0, root);
        return Arrays.copyOf(out, pos);
    }

    private int model(TfliteModel m) {
        List<Field> f = new ArrayList<>();
        f.add(scalar(0, 4, m.version));
        f.add(child(1, () -> tables(m.operatorCodes, this::operatorCode)));
        f.add(child(2, () -> tables(m.subgraphs, this::subgraph)));
        if (m.description != null) {
            f.add(child(3, () -> string(m.description)));
        }
        f.add(child(4, () -> tables(m.buffers, this::buffer)));
        if (m.metadataBuffer != null) {
            f.add(child(5, () -> ints(m.metadataBuffer)));
        }
        if (!m.metadata.isEmpty()) {
            f.add(child(6, () -> tables(m.metadata, md -> table(List.of(child(0, () -> string(md.name)), scalar(1, 4, md.buffer))))));
        }
        if (!m.signatureDefs.isEmpty()) {
            f.add(child(7, () -> tables(m.signatureDefs, this::signature)));
        }
        return table(f);
    }

    private int operatorCode(OperatorCode c) {
        List<Field> f = new ArrayList<>();
        f.add(scalar(0, 1, Math.min(c.builtinCode, 127))); // deprecated_builtin_code: 127 means "look at builtin_code"
        if (c.customCode != null) {
            f.add(child(1, () -> string(c.customCode)));
        }
        f.add(scalar(2, 4, c.version));
        f.add(scalar(3, 4, c.builtinCode));
        return table(f);
    }

    private int buffer(Buffer b) {
        if (b.data.length == 0) {
            return table(List.of());
        }
        return table(List.of(child(0, () -> vector(b.data, 1, b.data.length, 16))));
    }

    private int subgraph(Subgraph g) {
        List<Field> f = new ArrayList<>();
        f.add(child(0, () -> tables(g.tensors, this::tensor)));
        f.add(child(1, () -> ints(g.inputs)));
        f.add(child(2, () -> ints(g.outputs)));
        f.add(child(3, () -> tables(g.operators, this::operator)));
        if (g.name != null) {
            f.add(child(4, () -> string(g.name)));
        }
        return table(f);
    }

    private int tensor(Tensor t) {
        List<Field> f = new ArrayList<>();
        f.add(child(0, () -> ints(t.shape)));
        f.add(scalar(1, 1, t.type));
        f.add(scalar(2, 4, t.buffer));
        f.add(child(3, () -> string(t.name)));
        if (t.quantization != null) {
            f.add(child(4, () -> quantization(t.quantization)));
        }
        if (t.isVariable) {
            f.add(scalar(5, 1, 1));
        }
        if (t.shapeSignature != null) {
            f.add(child(7, () -> ints(t.shapeSignature)));
        }
        if (t.hasRank) {
            f.add(scalar(8, 1, 1));
        }
        return table(f);
    }

    private int quantization(Quantization q) {
        List<Field> f = new ArrayList<>();
        if (q.min.length > 0) {
            f.add(child(0, () -> floats(q.min)));
        }
        if (q.max.length > 0) {
            f.add(child(1, () -> floats(q.max)));
        }
        if (q.scale.length > 0) {
            f.add(child(2, () -> floats(q.scale)));
        }
        if (q.zeroPoint.length > 0) {
            f.add(child(3, () -> longs(q.zeroPoint)));
        }
        if (q.quantizedDimension != 0) {
            f.add(scalar(6, 4, q.quantizedDimension));
        }
        return table(f);
    }

    private int operator(Operator o) {
        List<Field> f = new ArrayList<>();
        f.add(scalar(0, 4, o.opcodeIndex));
        f.add(child(1, () -> ints(o.inputs)));
        f.add(child(2, () -> ints(o.outputs)));
        if (o.builtinOptions != null) {
            f.add(scalar(3, 1, o.builtinOptions.type));
            f.add(child(4, () -> options(o.builtinOptions)));
        }
        if (o.customOptions != null) {
            f.add(child(5, () -> vector(o.customOptions, 1, o.customOptions.length, 4)));
        }
        if (o.customOptionsFormat != 0) {
            f.add(scalar(6, 1, o.customOptionsFormat));
        }
        if (o.mutatingVariableInputs != null) {
            byte[] mv = new byte[o.mutatingVariableInputs.length];
            for (int i = 0; i < mv.length; i++) {
                mv[i] = (byte) (o.mutatingVariableInputs[i] ? 1 : 0);
            }
            f.add(child(7, () -> vector(mv, 1, mv.length, 4)));
        }
        if (o.intermediates != null) {
            f.add(child(8, () -> ints(o.intermediates)));
        }
        return table(f);
    }

    private int options(BuiltinOptions o) {
        List<Field> f = new ArrayList<>();
        String layout = o.layout();
        for (int i = 0; i < layout.length(); i++) {
            Object v = o.fields[i];
            if (v == null) {
                continue;
            }
            switch (layout.charAt(i)) {
                case 'b': f.add(scalar(i, 1, ((Number) v).longValue())); break;
                case 'i': f.add(scalar(i, 4, ((Number) v).longValue())); break;
                case 'f': f.add(scalar(i, 4, Float.floatToRawIntBits(((Number) v).floatValue()))); break;
                default: f.add(child(i, () -> ints((int[]) v))); break;
            }
        }
        return table(f);
    }

    private int signature(TfliteModel.SignatureDef s) {
        List<Field> f = new ArrayList<>();
        f.add(child(0, () -> tables(s.inputs, this::tensorMap)));
        f.add(child(1, () -> tables(s.outputs, this::tensorMap)));
        if (s.signatureKey != null) {
            f.add(child(2, () -> string(s.signatureKey)));
        }
        f.add(scalar(4, 4, s.subgraphIndex));
        return table(f);
    }

    private int tensorMap(TfliteModel.TensorMap t) {
        return table(List.of(child(0, () -> string(t.name)), scalar(1, 4, t.tensorIndex)));
    }

    // --- flatbuffer primitives -------------------------------------------------------------

    private static Field scalar(int id, int size, long bits) {
        return new Field(id, size, bits, null);
    }

    private static Field child(int id, Child c) {
        return new Field(id, 4, 0, c);
    }

    /** vtable, then the table (largest fields first), then the children in field order. */
    private int table(List<Field> fields) {
        int maxId = -1;
        int align = 4;
        for (Field x : fields) {
            maxId = Math.max(maxId, x.id);
            align = Math.max(align, x.size);
        }
        List<Field> order = new ArrayList<>(fields);
        order.sort(Comparator.comparingInt((Field x) -> -x.size));
        int[] at = new int[order.size()];
        int inline = 4;
        for (int i = 0; i < order.size(); i++) {
            int s = order.get(i).size;
            inline = (inline + s - 1) / s * s;
            at[i] = inline;
            inline += s;
        }
        int vsize = 4 + 2 * (maxId + 1);
        // vtable (2-aligned) directly before the table; pad so the table lands on its alignment
        align(2);
        int tableStart = pos + vsize;
        int pad = (align - tableStart % align) % align;
        ensure(pad + vsize + inline);
        pos += pad;
        int vtable = pos;
        putShort(vtable, vsize);
        putShort(vtable + 2, inline);
        for (int i = 0; i < order.size(); i++) {
            putShort(vtable + 4 + 2 * order.get(i).id, at[i]);
        }
        pos += vsize;
        int table = pos;
        Arrays.fill(out, table, table + inline, (byte) 0);
        putInt(table, table - vtable);
        pos += inline;
        for (int i = 0; i < order.size(); i++) {
            Field x = order.get(i);
            if (x.child == null) {
                switch (x.size) {
                    case 1: out[table + at[i]] = (byte) x.bits; break;
                    case 4: putInt(table + at[i], (int) x.bits); break;
                    default: putLong(table + at[i], x.bits); break;
                }
            }
        }
        for (int id = 0; id <= maxId; id++) {
            for (int i = 0; i < order.size(); i++) {
                Field x = order.get(i);
                if (x.id == id && x.child != null) {
                    int slot = table + at[i];
                    int target = x.child.write();
                    putInt(slot, target - slot);
                }
            }
        }
        return table;
    }

    private <T> int tables(List<T> items, java.util.function.ToIntFunction<T> writer) {
        int vec = startVector(items.size(), 4, 4);
        for (int i = 0; i < items.size(); i++) {
            int slot = vec + 4 + 4 * i;
            int target = writer.applyAsInt(items.get(i));
            putInt(slot, target - slot);
        }
        return vec;
    }

    private int ints(int[] v) {
        int vec = startVector(v.length, 4, 4);
        for (int i = 0; i < v.length; i++) {
            putInt(vec + 4 + 4 * i, v[i]);
        }
        return vec;
    }

    private int floats(float[] v) {
        int vec = startVector(v.length, 4, 4);
        for (int i = 0; i < v.length; i++) {
            putInt(vec + 4 + 4 * i, Float.floatToRawIntBits(v[i]));
        }
        return vec;
    }

    private int longs(long[] v) {
        int vec = startVector(v.length, 8, 8);
        for (int i = 0; i < v.length; i++) {
            putLong(vec + 4 + 8 * i, v[i]);
        }
        return vec;
    }

    private int vector(byte[] data, int elementSize, int count, int alignment) {
        int vec = startVector(count, elementSize, alignment);
        System.arraycopy(data, 0, out, vec + 4, count * elementSize);
        return vec;
    }

    private int string(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        int vec = startVector(utf8.length, 1, 4);
        System.arraycopy(utf8, 0, out, vec + 4, utf8.length);
        ensure(1);
        out[pos++] = 0; // strings are NUL-terminated
        return vec;
    }

    /** Places a length prefix so that the elements after it are aligned; reserves and zeroes the space. */
    private int startVector(int count, int elementSize, int alignment) {
        int a = Math.max(4, alignment);
        int start = pos;
        while ((start + 4) % a != 0 || start % 4 != 0) {
            start++;
        }
        long bytes = 4L + (long) count * elementSize;
        ensure((int) (start - pos + bytes));
        Arrays.fill(out, pos, (int) (start + bytes), (byte) 0);
        pos = start;
        putInt(start, count);
        pos += (int) bytes;
        return start;
    }

    private void align(int a) {
        int p = (pos + a - 1) / a * a;
        ensure(p - pos);
        Arrays.fill(out, pos, p, (byte) 0);
        pos = p;
    }

    private void ensure(int more) {
        long need = (long) pos + more + 16;
        if (need > Integer.MAX_VALUE - 16) {
            throw new IllegalStateException("model too large for an in-memory flatbuffer (" + need + " bytes)");
        }
        if (need > out.length) {
            out = Arrays.copyOf(out, (int) Math.min(Integer.MAX_VALUE - 16, Math.max(need, 2L * out.length)));
        }
    }

    private void putShort(int at, int v) {
        out[at] = (byte) v;
        out[at + 1] = (byte) (v >>> 8);
    }

    private void putInt(int at, int v) {
        out[at] = (byte) v;
        out[at + 1] = (byte) (v >>> 8);
        out[at + 2] = (byte) (v >>> 16);
        out[at + 3] = (byte) (v >>> 24);
    }

    private void putLong(int at, long v) {
        putInt(at, (int) v);
        putInt(at + 4, (int) (v >>> 32));
    }
}

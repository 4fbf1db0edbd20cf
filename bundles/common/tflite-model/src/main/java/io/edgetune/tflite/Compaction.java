package io.edgetune.tflite;

import java.util.ArrayList;
import java.util.List;

/** Drops tensors, buffers and operator codes nothing refers to any more, and renumbers the references. */
final class Compaction {

    private Compaction() {
    }

    static void run(TfliteModel m) {
        boolean[] usedBuffer = new boolean[m.buffers.size()];
        usedBuffer[0] = true;
        boolean[] usedCode = new boolean[m.operatorCodes.size()];
        for (int s = 0; s < m.subgraphs.size(); s++) {
            Subgraph g = m.subgraphs.get(s);
            boolean[] used = new boolean[g.tensors.size()];
            for (Operator op : g.operators) {
                mark(used, op.inputs);
                mark(used, op.outputs);
                if (op.intermediates != null) {
                    mark(used, op.intermediates);
                }
                usedCode[op.opcodeIndex] = true;
            }
            mark(used, g.inputs);
            mark(used, g.outputs);
            int[] map = new int[used.length];
            List<Tensor> kept = new ArrayList<>();
            for (int i = 0; i < used.length; i++) {
                map[i] = used[i] ? kept.size() : -1;
                if (used[i]) {
                    kept.add(g.tensors.get(i));
                }
            }
            g.tensors.clear();
            g.tensors.addAll(kept);
            for (Operator op : g.operators) {
                op.inputs = remap(op.inputs, map);
                op.outputs = remap(op.outputs, map);
                if (op.intermediates != null) {
                    op.intermediates = remap(op.intermediates, map);
                }
            }
            g.inputs = remap(g.inputs, map);
            g.outputs = remap(g.outputs, map);
            for (TfliteModel.SignatureDef d : m.signatureDefs) {
                if (d.subgraphIndex == s) {
                    d.inputs.forEach(t -> t.tensorIndex = map[t.tensorIndex]);
                    d.outputs.forEach(t -> t.tensorIndex = map[t.tensorIndex]);
                }
            }
            for (Tensor t : g.tensors) {
                usedBuffer[t.buffer] = true;
            }
        }
        for (TfliteModel.Metadata md : m.metadata) {
            usedBuffer[md.buffer] = true;
        }
        if (m.metadataBuffer != null) {
            for (int b : m.metadataBuffer) {
                usedBuffer[b] = true;
            }
        }
        int[] bmap = new int[usedBuffer.length];
        List<Buffer> keptBuffers = new ArrayList<>();
        for (int i = 0; i < usedBuffer.length; i++) {
            bmap[i] = usedBuffer[i] ? keptBuffers.size() : -1;
            if (usedBuffer[i]) {
                keptBuffers.add(m.buffers.get(i));
            }
        }
        m.buffers.clear();
        m.buffers.addAll(keptBuffers);
        for (Subgraph g : m.subgraphs) {
            for (Tensor t : g.tensors) {
                t.buffer = bmap[t.buffer];
            }
        }
        m.metadata.forEach(md -> md.buffer = bmap[md.buffer]);
        if (m.metadataBuffer != null) {
            m.metadataBuffer = remap(m.metadataBuffer, bmap);
        }
        int[] cmap = new int[usedCode.length];
        List<OperatorCode> keptCodes = new ArrayList<>();
        for (int i = 0; i < usedCode.length; i++) {
            cmap[i] = usedCode[i] ? keptCodes.size() : -1;
            if (usedCode[i]) {
                keptCodes.add(m.operatorCodes.get(i));
            }
        }
        m.operatorCodes.clear();
        m.operatorCodes.addAll(keptCodes);
        for (Subgraph g : m.subgraphs) {
            for (Operator op : g.operators) {
                op.opcodeIndex = cmap[op.opcodeIndex];
            }
        }
    }

    private static void mark(boolean[] used, int[] indices) {
        for (int i : indices) {
            if (i >= 0) {
                used[i] = true;
            }
        }
    }

    private static int[] remap(int[] indices, int[] map) {
        int[] out = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            out[i] = indices[i] < 0 ? -1 : map[indices[i]];
        }
        return out;
    }
}

package io.edgetune.trainer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * One SSD class-prediction layer (BoxPredictor_k/ClassPredictor): a 1x1
 * convolution from a grid x grid x channels feature map to
 * anchorsPerCell x classes logits per cell, with the position of its constant
 * weights and bias in the model file. Output channel o = slot * classes + class,
 * so anchor (row, col, slot) of this map reads row o of the weights.
 */
final class ClassHead {

    final int layer;
    final int featureTensor;
    final String featureName;
    final int grid;
    final int channels;
    final int anchorsPerCell;
    final int classes;
    final TfliteFile.Span weightSpan;
    final int weightType;
    final TfliteFile.Span biasSpan;
    final int biasType;
    /** [outChannels * channels], as the model holds them (float16 already widened). */
    final float[] weights;
    final float[] bias;

    private ClassHead(int layer, int featureTensor, String featureName, int grid, int channels, int anchorsPerCell,
                      int classes, TfliteFile.Span weightSpan, int weightType, TfliteFile.Span biasSpan, int biasType,
                      float[] weights, float[] bias) {
        this.layer = layer;
        this.featureTensor = featureTensor;
        this.featureName = featureName;
        this.grid = grid;
        this.channels = channels;
        this.anchorsPerCell = anchorsPerCell;
        this.classes = classes;
        this.weightSpan = weightSpan;
        this.weightType = weightType;
        this.biasSpan = biasSpan;
        this.biasType = biasType;
        this.weights = weights;
        this.bias = bias;
    }

    int cells() {
        return grid * grid;
    }

    int anchors() {
        return grid * grid * anchorsPerCell;
    }

    /** Logit of one anchor slot and class on a feature vector (channels floats from offset). */
    static float logit(float[] w, float[] b, int channels, int row, float[] feature, int offset) {
        float s = b[row];
        int base = row * channels;
        for (int c = 0; c < channels; c++) {
            s += w[base + c] * feature[offset + c];
        }
        return s;
    }

    /** Finds BoxPredictor_0.. ClassPredictor convolutions in order, with their constant weights. */
    static List<ClassHead> find(TfliteFile f, byte[] file, int classes) throws TrainingException {
        List<ClassHead> heads = new ArrayList<>();
        for (int k = 0; ; k++) {
            String prefix = "BoxPredictor_" + k + "/ClassPredictor";
            TfliteFile.Operator conv = null;
            for (TfliteFile.Operator op : f.operators) {
                if (op.builtin() == TfliteFile.OP_CONV_2D && op.outputs().length == 1
                        && f.tensors.get(op.outputs()[0]).name().startsWith(prefix)) {
                    conv = op;
                    break;
                }
            }
            if (conv == null) {
                break;
            }
            if (conv.inputs().length < 3) {
                throw new TrainingException(prefix + " convolution has no bias input");
            }
            TfliteFile.Tensor feature = f.tensors.get(conv.inputs()[0]);
            TfliteFile.Tensor w = constant(f, conv.inputs()[1], prefix + " weights");
            TfliteFile.Tensor b = constant(f, conv.inputs()[2], prefix + " bias");
            int[] fs = feature.shape();
            int[] ws = w.shape();
            if (fs.length != 4 || fs[1] != fs[2] || ws.length != 4 || ws[1] != 1 || ws[2] != 1 || ws[3] != fs[3]
                    || ws[0] % classes != 0) {
                throw new TrainingException(prefix + ": expected a 1x1 conv [O,1,1,C] on a square [1,H,H,C] map with O a multiple of "
                        + classes + " classes, found weights " + java.util.Arrays.toString(ws) + " on " + java.util.Arrays.toString(fs));
            }
            float[] weights = read(file, f.span(w), w.type(), ws[0] * ws[3], prefix + " weights");
            float[] bias = read(file, f.span(b), b.type(), ws[0], prefix + " bias");
            heads.add(new ClassHead(k, feature.index(), feature.name(), fs[1], fs[3], ws[0] / classes, classes,
                    f.span(w), w.type(), f.span(b), b.type(), weights, bias));
        }
        if (heads.isEmpty()) {
            throw new TrainingException("model has no SSD class heads (no CONV_2D writing BoxPredictor_0/ClassPredictor)");
        }
        return heads;
    }

    /** The constant behind a conv input: the tensor itself, or the float16 constant a DEQUANTIZE widens. */
    private static TfliteFile.Tensor constant(TfliteFile f, int tensor, String what) throws TrainingException {
        TfliteFile.Tensor t = f.tensors.get(tensor);
        if (f.span(t).length() == 0) {
            TfliteFile.Operator op = f.producer(tensor);
            if (op == null || op.builtin() != TfliteFile.OP_DEQUANTIZE || op.inputs().length != 1) {
                throw new TrainingException(what + " (" + t.name() + ") is neither a constant nor a dequantized constant");
            }
            t = f.tensors.get(op.inputs()[0]);
        }
        if ((t.type() != TfliteFile.FLOAT16 && t.type() != TfliteFile.FLOAT32) || f.span(t).length() == 0) {
            throw new TrainingException(what + " (" + t.name() + ") is not a float16/float32 constant (type " + t.type() + ")");
        }
        return t;
    }

    private static float[] read(byte[] file, TfliteFile.Span s, int type, int count, String what) throws TrainingException {
        int size = type == TfliteFile.FLOAT16 ? 2 : 4;
        if (s.length() != (long) count * size) {
            throw new TrainingException(what + ": buffer holds " + s.length() + " bytes, expected " + (long) count * size);
        }
        ByteBuffer bb = ByteBuffer.wrap(file, (int) s.offset(), (int) s.length()).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[count];
        for (int i = 0; i < count; i++) {
            out[i] = size == 2 ? Half.toFloat(bb.getShort()) : bb.getFloat();
        }
        return out;
    }

    /** Writes new weights and bias over this head's buffers in a copy of the model file (same size, same graph). */
    void write(byte[] file, float[] newWeights, float[] newBias) {
        put(file, weightSpan, weightType, newWeights);
        put(file, biasSpan, biasType, newBias);
    }

    private static void put(byte[] file, TfliteFile.Span s, int type, float[] values) {
        ByteBuffer bb = ByteBuffer.wrap(file, (int) s.offset(), (int) s.length()).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            if (type == TfliteFile.FLOAT16) {
                bb.putShort(Half.fromFloat(v));
            } else {
                bb.putFloat(v);
            }
        }
    }

    /** What the model will compute with this weight once stored (float16 rounding). */
    float storedWeight(float v) {
        return weightType == TfliteFile.FLOAT16 ? Half.round(v) : v;
    }

    /** What the model will compute with this bias once stored. */
    float storedBias(float v) {
        return biasType == TfliteFile.FLOAT16 ? Half.round(v) : v;
    }
}

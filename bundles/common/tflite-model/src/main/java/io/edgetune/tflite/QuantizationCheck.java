package io.edgetune.tflite;

import java.util.ArrayList;
import java.util.List;

/**
 * Refuses mis-quantized models with a reason before an interpreter ever sees them: a TFLite kernel given a zero,
 * negative or NaN scale, a zero point outside its type, per-channel arrays of the wrong length or a bias whose
 * scale is not input scale x weight scale computes garbage (or crashes) instead of failing. Checks every subgraph:
 * <ul>
 * <li>each scale finite and &gt; 0; as many zero points as scales; each zero point inside the tensor type's range;</li>
 * <li>per-channel parameters: quantized dimension inside the shape, one scale per slice along it;</li>
 * <li>integer activations (int8, uint8, int16) carry quantization parameters;</li>
 * <li>constant data has exactly elements x element size bytes;</li>
 * <li>CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED on int8/uint8 inputs: weights symmetric for int8 (zero point
 *     0), per-channel scales along the output-channel axis (0, or 3 for depthwise), an int32 bias with zero point 0
 *     and scale[c] = input scale x weight scale[c] within a relative {@value #BIAS_TOLERANCE};</li>
 * <li>LOGISTIC with an int8 output: scale 1/256, zero point -128 (uint8: 0); RESHAPE and SQUEEZE keep their
 *     input's parameters (they copy bytes).</li>
 * </ul>
 */
public final class QuantizationCheck {

    /** Relative tolerance of the bias scale against input scale x weight scale. */
    public static final double BIAS_TOLERANCE = 1e-4;

    private QuantizationCheck() {
    }

    /** Every problem found; empty when the model is consistent. */
    public static List<String> problems(TfliteModel m) {
        List<String> out = new ArrayList<>();
        for (int s = 0; s < m.subgraphs.size(); s++) {
            check(m, m.subgraphs.get(s), s == 0 ? "" : "subgraph " + s + ": ", out);
        }
        return out;
    }

    /** Throws with the first problems when there are any. */
    public static void require(TfliteModel m) throws TfliteException {
        List<String> p = problems(m);
        if (!p.isEmpty()) {
            String first = String.join("; ", p.subList(0, Math.min(3, p.size())));
            throw new TfliteException("mis-quantized model: " + first + (p.size() > 3 ? " (and " + (p.size() - 3) + " more)" : ""));
        }
    }

    /** Parses and checks a model file. */
    public static void require(byte[] model) throws TfliteException {
        require(TfliteModel.read(model));
    }

    private static void check(TfliteModel m, Subgraph g, String where, List<String> out) {
        for (int i = 0; i < g.tensors.size(); i++) {
            Tensor t = g.tensors.get(i);
            String name = where + "tensor " + i + " (" + t.name + ")";
            Buffer b = m.buffer(t);
            int size = TensorType.size(t.type);
            if (!b.isEmpty() && size > 0 && b.data.length != t.elements() * size) {
                out.add(name + ": constant data is " + b.data.length + " bytes, " + TensorType.name(t.type)
                        + java.util.Arrays.toString(t.shape) + " needs " + t.elements() * size);
            }
            boolean intActivation = t.type == TensorType.INT8 || t.type == TensorType.UINT8 || t.type == TensorType.INT16;
            Quantization q = t.quantization;
            if (q == null || !q.isQuantized()) {
                if (intActivation) {
                    out.add(name + ": " + TensorType.name(t.type) + " without quantization parameters");
                }
                continue;
            }
            for (int k = 0; k < q.scale.length; k++) {
                float sc = q.scale[k];
                if (!(sc > 0) || Float.isInfinite(sc)) {
                    out.add(name + ": scale[" + k + "] = " + sc + " (must be finite and > 0)");
                    break;
                }
            }
            if (q.zeroPoint.length != q.scale.length) {
                out.add(name + ": " + q.scale.length + " scales but " + q.zeroPoint.length + " zero points");
            }
            long[] range = TensorType.range(t.type);
            if (range != null) {
                for (int k = 0; k < q.zeroPoint.length; k++) {
                    if (q.zeroPoint[k] < range[0] || q.zeroPoint[k] > range[1]) {
                        out.add(name + ": zero point " + q.zeroPoint[k] + " outside " + TensorType.name(t.type)
                                + " [" + range[0] + ", " + range[1] + "]");
                        break;
                    }
                }
            }
            if (q.scale.length > 1) {
                if (q.quantizedDimension < 0 || q.quantizedDimension >= t.shape.length) {
                    out.add(name + ": quantized dimension " + q.quantizedDimension + " outside shape "
                            + java.util.Arrays.toString(t.shape));
                } else if (t.shape[q.quantizedDimension] != q.scale.length) {
                    out.add(name + ": " + q.scale.length + " per-channel scales for dimension " + q.quantizedDimension
                            + " of size " + t.shape[q.quantizedDimension]);
                }
            }
        }
        for (int n = 0; n < g.operators.size(); n++) {
            Operator op = g.operators.get(n);
            int code = m.builtin(op);
            String name = where + "operator " + n;
            switch (code) {
                case BuiltinOperator.CONV_2D:
                case BuiltinOperator.DEPTHWISE_CONV_2D:
                case BuiltinOperator.FULLY_CONNECTED:
                    weighted(g, op, code, name, out);
                    break;
                case BuiltinOperator.LOGISTIC: {
                    Tensor o = g.tensors.get(op.outputs[0]);
                    if ((o.type == TensorType.INT8 || o.type == TensorType.UINT8) && quantized(o)) {
                        long zp = o.type == TensorType.INT8 ? -128 : 0;
                        if (Math.abs(o.quantization.scale[0] - 1f / 256) > 1e-9 || o.quantization.zeroPoint[0] != zp) {
                            out.add(name + " (LOGISTIC): output " + o.name + " must have scale 1/256 and zero point " + zp);
                        }
                    }
                    break;
                }
                case BuiltinOperator.RESHAPE:
                case BuiltinOperator.SQUEEZE: {
                    Tensor in = g.tensors.get(op.inputs[0]);
                    Tensor o = g.tensors.get(op.outputs[0]);
                    if (quantized(in) && quantized(o) && (in.type == TensorType.INT8 || in.type == TensorType.UINT8)
                            && (in.quantization.scale[0] != o.quantization.scale[0]
                                || in.quantization.zeroPoint[0] != o.quantization.zeroPoint[0])) {
                        out.add(name + " (RESHAPE): output " + o.name + " must keep the input's scale and zero point");
                    }
                    break;
                }
                default:
                    break;
            }
        }
    }

    private static boolean quantized(Tensor t) {
        return t.quantization != null && t.quantization.scale.length > 0 && t.quantization.zeroPoint.length > 0;
    }

    private static void weighted(Subgraph g, Operator op, int code, String name, List<String> out) {
        if (op.inputs.length < 2 || op.inputs[0] < 0 || op.inputs[1] < 0) {
            return;
        }
        Tensor in = g.tensors.get(op.inputs[0]);
        Tensor w = g.tensors.get(op.inputs[1]);
        if (in.type != TensorType.INT8 && in.type != TensorType.UINT8) {
            return;
        }
        String kind = code == BuiltinOperator.CONV_2D ? "CONV_2D" : code == BuiltinOperator.DEPTHWISE_CONV_2D
                ? "DEPTHWISE_CONV_2D" : "FULLY_CONNECTED";
        name = name + " (" + kind + ")";
        if (!quantized(in) || !quantized(w)) {
            out.add(name + ": input or weights not quantized");
            return;
        }
        if (w.type != in.type && !(in.type == TensorType.UINT8 && w.type == TensorType.UINT8)) {
            out.add(name + ": weights " + w.name + " are " + TensorType.name(w.type) + " for a " + TensorType.name(in.type) + " input");
        }
        if (w.type == TensorType.INT8) {
            for (long zp : w.quantization.zeroPoint) {
                if (zp != 0) {
                    out.add(name + ": int8 weights " + w.name + " must be symmetric (zero point 0), found " + zp);
                    break;
                }
            }
        }
        int axis = code == BuiltinOperator.DEPTHWISE_CONV_2D ? 3 : 0;
        int channels = w.shape.length > axis ? w.shape[axis] : -1;
        float[] ws = w.quantization.scale;
        if (ws.length > 1 && (w.quantization.quantizedDimension != axis || ws.length != channels)) {
            out.add(name + ": per-channel weight scales must run along dimension " + axis + " (" + channels
                    + " channels), found " + ws.length + " along " + w.quantization.quantizedDimension);
            return;
        }
        if (op.inputs.length < 3 || op.inputs[2] < 0) {
            return;
        }
        Tensor bias = g.tensors.get(op.inputs[2]);
        if (bias.type != TensorType.INT32 && bias.type != TensorType.INT64) {
            out.add(name + ": bias " + bias.name + " is " + TensorType.name(bias.type) + ", must be INT32");
            return;
        }
        if (!quantized(bias)) {
            out.add(name + ": bias " + bias.name + " has no quantization parameters");
            return;
        }
        float[] bs = bias.quantization.scale;
        int n = Math.max(ws.length, bs.length);
        if (bs.length != ws.length && bs.length != 1) {
            out.add(name + ": bias has " + bs.length + " scales, weights " + ws.length);
            return;
        }
        double inScale = in.quantization.scale[0];
        for (int c = 0; c < n; c++) {
            double expected = inScale * ws[ws.length == 1 ? 0 : c];
            double actual = bs[bs.length == 1 ? 0 : c];
            if (Math.abs(actual - expected) > BIAS_TOLERANCE * expected) {
                out.add(name + ": bias scale[" + c + "] = " + (float) actual + " but input scale x weight scale = "
                        + (float) expected);
                break;
            }
        }
        for (long zp : bias.quantization.zeroPoint) {
            if (zp != 0) {
                out.add(name + ": bias " + bias.name + " zero point must be 0, found " + zp);
                break;
            }
        }
    }
}

package io.edgetune.tflite;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Post-training full-integer quantization of a float TFLite model, from calibrated activation ranges: the result
 * computes in int8 from its first operator to its last, as TFLite's int8 kernels, XNNPACK and the Edge TPU compiler
 * expect it.
 * <ul>
 * <li>weights of CONV_2D (output channels on axis 0), DEPTHWISE_CONV_2D (axis 3) and FULLY_CONNECTED (axis 0):
 *     int8, symmetric per channel (zero point 0, values in [-127, 127], scale = max |w| / 127 of the channel);
 *     float16 weights behind DEQUANTIZE ops are read, and the DEQUANTIZE ops are gone from the result;</li>
 * <li>biases: int32, scale = input scale x weight scale of the channel, zero point 0;</li>
 * <li>activations: int8, asymmetric, scale = (max - min) / 255 over the calibrated range widened to include 0, so
 *     that 0 is exact;</li>
 * <li>operators that move bytes without arithmetic (RESHAPE, SQUEEZE, MAX_POOL_2D) keep their input's parameters;
 *     the inputs and the output of a CONCATENATION share one set (the union of their ranges), so no input needs
 *     requantizing; LOGISTIC outputs have scale 1/256 and zero point -128, as TFLite requires;</li>
 * <li>model input and outputs: {@link Options#inputType} and {@link Options#outputType} (int8, uint8, or float32
 *     for the outputs); a uint8 input is converted by one QUANTIZE op (same scale, zero point + 128), so a uint8
 *     input of a [-1, 1] model takes raw pixels.</li>
 * </ul>
 * Operators other than those named here are refused with their code. The result is checked with
 * {@link QuantizationCheck} before it is returned.
 */
public final class Quantizer {

    /** How the quantized model meets its callers. */
    public static final class Options {
        /** {@link TensorType#UINT8} (default) or {@link TensorType#INT8}. */
        public int inputType = TensorType.UINT8;
        /** {@link TensorType#INT8} (default), {@link TensorType#UINT8} or {@link TensorType#FLOAT32}. */
        public int outputType = TensorType.INT8;

        public Options input(int type) {
            inputType = type;
            return this;
        }

        public Options output(int type) {
            outputType = type;
            return this;
        }
    }

    private final TfliteModel m;
    private final Subgraph g;
    private final Calibration cal;

    private Quantizer(TfliteModel m, Calibration cal) {
        this.m = m;
        this.g = m.main();
        this.cal = cal;
    }

    /** Quantizes a float model file; the calibration must have been made on the same file. */
    public static byte[] quantize(byte[] floatModel, Calibration calibration, Options options) throws TfliteException {
        TfliteModel m = TfliteModel.read(floatModel);
        new Quantizer(m, calibration).run(options);
        return m.write();
    }

    private void run(Options o) throws TfliteException {
        if (o.inputType != TensorType.UINT8 && o.inputType != TensorType.INT8) {
            throw new IllegalArgumentException("input type must be UINT8 or INT8, not " + TensorType.name(o.inputType));
        }
        if (o.outputType != TensorType.UINT8 && o.outputType != TensorType.INT8 && o.outputType != TensorType.FLOAT32) {
            throw new IllegalArgumentException("output type must be INT8, UINT8 or FLOAT32, not " + TensorType.name(o.outputType));
        }
        if (m.subgraphs.size() != 1) {
            throw new TfliteException("the quantizer handles single-subgraph models; this one has " + m.subgraphs.size());
        }
        int n = g.tensors.size();
        boolean[] weight = new boolean[n];
        List<Operator> dequantizes = new ArrayList<>();
        for (Operator op : g.operators) {
            int code = m.builtin(op);
            switch (code) {
                case BuiltinOperator.DEQUANTIZE:
                    if (constant(op.inputs[0]) == null) {
                        throw new TfliteException("DEQUANTIZE of a computed tensor (" + g.tensors.get(op.inputs[0]).name + ") is not supported");
                    }
                    weight[op.outputs[0]] = true;
                    dequantizes.add(op);
                    break;
                case BuiltinOperator.CONV_2D: case BuiltinOperator.DEPTHWISE_CONV_2D: case BuiltinOperator.FULLY_CONNECTED:
                case BuiltinOperator.ADD: case BuiltinOperator.RESHAPE: case BuiltinOperator.SQUEEZE:
                case BuiltinOperator.CONCATENATION: case BuiltinOperator.MAX_POOL_2D: case BuiltinOperator.AVERAGE_POOL_2D:
                case BuiltinOperator.LOGISTIC:
                    break;
                default:
                    throw new TfliteException("operator code " + code + " is not supported by the int8 quantizer");
            }
        }
        for (int i : g.inputs) {
            if (g.tensors.get(i).type != TensorType.FLOAT32) {
                throw new TfliteException("model input " + g.tensors.get(i).name + " is not float32: already quantized?");
            }
        }

        // 1. ranges of every computed float tensor, then the operators' constraints
        float[][] range = new float[n][];
        for (int i = 0; i < n; i++) {
            Tensor t = g.tensors.get(i);
            if (t.type == TensorType.FLOAT32 && m.buffer(t).isEmpty() && !weight[i]) {
                float[] r = cal.range(i);
                if (r == null) {
                    throw new TfliteException("tensor " + i + " (" + t.name + ") was not calibrated");
                }
                range[i] = new float[] {Math.min(r[0], 0f), Math.max(r[1], 0f)};
            }
        }
        for (Operator op : g.operators) {
            if (m.builtin(op) == BuiltinOperator.CONCATENATION) {
                float[] u = range[op.outputs[0]].clone();
                for (int i : op.inputs) {
                    u[0] = Math.min(u[0], range[i][0]);
                    u[1] = Math.max(u[1], range[i][1]);
                }
                range[op.outputs[0]] = u;
                for (int i : op.inputs) {
                    shareBackwards(i, u, range);
                }
            }
        }
        Quantization[] q = new Quantization[n];
        for (int i = 0; i < n; i++) {
            if (range[i] != null) {
                q[i] = asymmetric(range[i][0], range[i][1]);
            }
        }
        for (Operator op : g.operators) {
            int code = m.builtin(op);
            if (code == BuiltinOperator.RESHAPE || code == BuiltinOperator.SQUEEZE || code == BuiltinOperator.MAX_POOL_2D) {
                q[op.outputs[0]] = q[op.inputs[0]];
            } else if (code == BuiltinOperator.LOGISTIC) {
                q[op.outputs[0]] = Quantization.of(1f / 256, -128);
            }
        }

        // 2. activations become int8; weights and biases are quantized per channel
        for (int i = 0; i < n; i++) {
            if (q[i] != null) {
                Tensor t = g.tensors.get(i);
                t.type = TensorType.INT8;
                t.quantization = q[i];
            }
        }
        for (Operator op : g.operators) {
            int code = m.builtin(op);
            if (code == BuiltinOperator.CONV_2D || code == BuiltinOperator.DEPTHWISE_CONV_2D
                    || code == BuiltinOperator.FULLY_CONNECTED) {
                quantizeWeights(op, code == BuiltinOperator.DEPTHWISE_CONV_2D ? 3 : 0);
            } else if (code == BuiltinOperator.ADD || code == BuiltinOperator.CONCATENATION) {
                for (int i : op.inputs) {
                    if (g.tensors.get(i).type != TensorType.INT8) {
                        throw new TfliteException("constant inputs to ADD/CONCATENATION are not supported (" + g.tensors.get(i).name + ")");
                    }
                }
            }
        }
        g.operators.removeAll(dequantizes);

        // 3. the model's edges
        int[] inputs = g.inputs.clone();
        for (int k = 0; k < inputs.length; k++) {
            if (o.inputType == TensorType.UINT8) {
                inputs[k] = convertEdge(inputs[k], TensorType.UINT8, true);
            }
        }
        g.inputs = inputs;
        int[] outputs = g.outputs.clone();
        for (int k = 0; k < outputs.length; k++) {
            if (o.outputType != TensorType.INT8) {
                outputs[k] = convertEdge(outputs[k], o.outputType, false);
            }
        }
        g.outputs = outputs;

        // 4. operator versions for int8 kernels, then drop what nothing uses
        for (OperatorCode c : m.operatorCodes) {
            switch (c.builtinCode) {
                case BuiltinOperator.CONV_2D: case BuiltinOperator.DEPTHWISE_CONV_2D: c.version = Math.max(c.version, 3); break;
                case BuiltinOperator.FULLY_CONNECTED: c.version = Math.max(c.version, 4); break;
                case BuiltinOperator.ADD: case BuiltinOperator.CONCATENATION: case BuiltinOperator.MAX_POOL_2D:
                case BuiltinOperator.AVERAGE_POOL_2D: case BuiltinOperator.LOGISTIC: case BuiltinOperator.DEQUANTIZE:
                case BuiltinOperator.QUANTIZE:
                    c.version = Math.max(c.version, 2); break;
                default: break;
            }
        }
        Compaction.run(m);
        QuantizationCheck.require(m);
    }

    /** Gives a concatenation input, and what a RESHAPE/SQUEEZE chain copied it from, the shared range. */
    private void shareBackwards(int tensor, float[] u, float[][] range) {
        range[tensor] = u;
        Operator p = g.producer(tensor);
        if (p != null && (m.builtin(p) == BuiltinOperator.RESHAPE || m.builtin(p) == BuiltinOperator.SQUEEZE)
                && range[p.inputs[0]] != null && g.consumers(p.inputs[0]).size() == 1) {
            shareBackwards(p.inputs[0], u, range);
        }
    }

    static Quantization asymmetric(float lo, float hi) {
        float scale = Math.max(hi - lo, 1e-6f) / 255f;
        long zp = Math.round(-128 - lo / (double) scale);
        zp = Math.max(-128, Math.min(127, zp));
        Quantization q = Quantization.of(scale, zp);
        q.min = new float[] {lo};
        q.max = new float[] {hi};
        return q;
    }

    private void quantizeWeights(Operator op, int axis) throws TfliteException {
        Tensor in = g.tensors.get(op.inputs[0]);
        if (in.type != TensorType.INT8) {
            throw new TfliteException("input of " + g.tensors.get(op.outputs[0]).name + " is not a computed tensor");
        }
        float[] w = constant(op.inputs[1]);
        Tensor wt = g.tensors.get(op.inputs[1]);
        if (w == null || wt.shape.length <= axis) {
            throw new TfliteException("weights of " + g.tensors.get(op.outputs[0]).name + " are not a float constant");
        }
        int channels = wt.shape[axis];
        int inner = 1;
        for (int d = axis + 1; d < wt.shape.length; d++) {
            inner *= wt.shape[d];
        }
        float[] maxAbs = new float[channels];
        for (int i = 0; i < w.length; i++) {
            int c = (i / inner) % channels;
            maxAbs[c] = Math.max(maxAbs[c], Math.abs(w[i]));
        }
        float[] scale = new float[channels];
        for (int c = 0; c < channels; c++) {
            // an all-zero channel still needs a positive scale; its values stay 0
            scale[c] = maxAbs[c] > 0 ? maxAbs[c] / 127f : 1e-6f;
        }
        byte[] qw = new byte[w.length];
        for (int i = 0; i < w.length; i++) {
            int c = (i / inner) % channels;
            qw[i] = (byte) Math.max(-127, Math.min(127, Math.round(w[i] / scale[c])));
        }
        Tensor nw = new Tensor(sourceName(op.inputs[1]), TensorType.INT8, wt.shape.clone(), m.addBuffer(qw));
        nw.quantization = Quantization.perChannel(scale, new long[channels], axis);
        op.inputs = op.inputs.clone();
        op.inputs[1] = g.add(nw);
        if (op.inputs.length > 2 && op.inputs[2] >= 0) {
            float[] b = constant(op.inputs[2]);
            if (b == null || b.length != channels) {
                throw new TfliteException("bias of " + g.tensors.get(op.outputs[0]).name + " is not a float constant of " + channels);
            }
            float inScale = in.quantization.scale[0];
            float[] bs = new float[channels];
            ByteBuffer qb = ByteBuffer.allocate(4 * channels).order(ByteOrder.LITTLE_ENDIAN);
            for (int c = 0; c < channels; c++) {
                bs[c] = inScale * scale[c];
                qb.putInt((int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, Math.round(b[c] / (double) bs[c]))));
            }
            Tensor nb = new Tensor(sourceName(op.inputs[2]), TensorType.INT32, new int[] {channels}, m.addBuffer(qb.array()));
            nb.quantization = Quantization.perChannel(bs, new long[channels], 0);
            op.inputs[2] = g.add(nb);
        }
    }

    /**
     * Puts a type conversion on a model edge: for an input, a new tensor of {@code type} feeds a QUANTIZE into the
     * int8 tensor; for an output, the int8 tensor feeds a QUANTIZE (or DEQUANTIZE to float) into a new tensor. The
     * new tensor takes the original name, the int8 one gets "_int8" appended. Returns the new tensor.
     */
    private int convertEdge(int tensor, int type, boolean input) {
        Tensor t = g.tensors.get(tensor);
        Tensor edge = new Tensor(t.name, type, t.shape.clone(), 0);
        edge.shapeSignature = t.shapeSignature == null ? null : t.shapeSignature.clone();
        if (type != TensorType.FLOAT32) {
            Quantization eq = Quantization.of(t.quantization.scale[0], t.quantization.zeroPoint[0] + (type == TensorType.UINT8 ? 128 : 0));
            eq.min = t.quantization.min;
            eq.max = t.quantization.max;
            edge.quantization = eq;
        }
        t.name = t.name + "_int8";
        int e = g.add(edge);
        if (input) {
            g.operators.add(0, new Operator(m.opcode(BuiltinOperator.QUANTIZE, 2), new int[] {e}, new int[] {tensor}, null));
        } else {
            int code = type == TensorType.FLOAT32 ? BuiltinOperator.DEQUANTIZE : BuiltinOperator.QUANTIZE;
            g.operators.add(new Operator(m.opcode(code, 2), new int[] {tensor}, new int[] {e}, null));
        }
        return e;
    }

    /** Name of the constant behind a (possibly dequantized) weight tensor. */
    private String sourceName(int tensor) {
        Operator p = g.producer(tensor);
        return p != null && m.builtin(p) == BuiltinOperator.DEQUANTIZE ? g.tensors.get(p.inputs[0]).name : g.tensors.get(tensor).name;
    }

    /** The float values of a constant (float32 or float16, directly or behind a DEQUANTIZE), or null. */
    private float[] constant(int tensor) {
        Tensor t = g.tensors.get(tensor);
        Buffer b = m.buffer(t);
        if (b.isEmpty()) {
            Operator p = g.producer(tensor);
            if (p == null || m.builtin(p) != BuiltinOperator.DEQUANTIZE) {
                return null;
            }
            return constant(p.inputs[0]);
        }
        ByteBuffer bb = ByteBuffer.wrap(b.data).order(ByteOrder.LITTLE_ENDIAN);
        if (t.type == TensorType.FLOAT32 && b.data.length == 4 * t.elements()) {
            float[] out = new float[(int) t.elements()];
            bb.asFloatBuffer().get(out);
            return out;
        }
        if (t.type == TensorType.FLOAT16 && b.data.length == 2 * t.elements()) {
            float[] out = new float[(int) t.elements()];
            for (int i = 0; i < out.length; i++) {
                out[i] = half(bb.getShort(2 * i));
            }
            return out;
        }
        return null;
    }

    /** IEEE 754 binary16 to float. */
    static float half(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            float v = mant / 1024f / 16384f; // subnormal: mant x 2^-24
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }
}

package io.edgetune.trainer;

import io.edgetune.tflite.Quantization;
import io.edgetune.tflite.Tensor;
import io.edgetune.tflite.TensorType;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.tensorflowlite.TfLiteTensor;

/**
 * An int8 or uint8 model input or output of the interpreter, with its scale and zero point from the model file:
 * floats in, quantized bytes out (and back), real = scale x (q - zero point).
 */
final class Quantized {

    private final ByteBuffer data;
    private final float scale;
    private final int zeroPoint;
    private final int lo;
    private final int hi;
    private final boolean unsigned;

    private Quantized(ByteBuffer data, float scale, int zeroPoint, boolean unsigned) {
        this.data = data;
        this.scale = scale;
        this.zeroPoint = zeroPoint;
        this.unsigned = unsigned;
        this.lo = unsigned ? 0 : -128;
        this.hi = unsigned ? 255 : 127;
    }

    /** Null for float tensors. */
    static Quantized of(TfliteFile file, int index, TfLiteTensor t) throws TrainingException {
        Tensor x = file.model.main().tensors.get(index);
        if (x.type == TensorType.FLOAT32) {
            return null;
        }
        Quantization q = x.quantization;
        if ((x.type != TensorType.INT8 && x.type != TensorType.UINT8) || q == null || q.scale.length != 1) {
            throw new TrainingException("tensor " + x.name + " is " + TensorType.name(x.type)
                    + "; the trainer runs float32, or int8/uint8 with one scale");
        }
        BytePointer p = new BytePointer(t.data().raw());
        p.capacity(t.bytes());
        return new Quantized(p.asByteBuffer(), q.scale[0], (int) q.zeroPoint[0], x.type == TensorType.UINT8);
    }

    int length() {
        return data.capacity();
    }

    void quantize(FloatBuffer from) {
        for (int i = 0; i < data.capacity(); i++) {
            int q = Math.round(from.get(i) / scale) + zeroPoint;
            data.put(i, (byte) Math.max(lo, Math.min(hi, q)));
        }
    }

    void dequantize(FloatBuffer to) {
        for (int i = 0; i < data.capacity(); i++) {
            int q = unsigned ? data.get(i) & 0xff : data.get(i);
            to.put(i, scale * (q - zeroPoint));
        }
    }
}

package io.edgetune.inference.engine;

/**
 * How a model's input tensor holds its values: float32, or 8-bit with the
 * affine quantization real = scale * (q - zeroPoint).
 */
public record TensorFormat(Type type, float scale, int zeroPoint) {

    public enum Type {
        FLOAT32, UINT8, INT8
    }

    public static final TensorFormat FLOAT32 = new TensorFormat(Type.FLOAT32, 1f, 0);

    public boolean quantized() {
        return type != Type.FLOAT32;
    }

    /** The stored value closest to a real value (clamped to the type's range). */
    public int quantize(float real) {
        int q = Math.round(real / scale) + zeroPoint;
        int lo = type == Type.INT8 ? -128 : 0;
        int hi = type == Type.INT8 ? 127 : 255;
        return Math.max(lo, Math.min(hi, q));
    }
}

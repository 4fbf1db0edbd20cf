package io.edgetune.tflite;

/**
 * QuantizationParameters of a tensor: real = scale * (q - zeroPoint), one scale/zero point per tensor or one per
 * slice along {@code quantizedDimension}. Min and max are informational (what the quantizer saw).
 */
public final class Quantization {

    public float[] min = new float[0];
    public float[] max = new float[0];
    public float[] scale = new float[0];
    public long[] zeroPoint = new long[0];
    public int quantizedDimension;

    /** Per-tensor parameters. */
    public static Quantization of(float scale, long zeroPoint) {
        Quantization q = new Quantization();
        q.scale = new float[] {scale};
        q.zeroPoint = new long[] {zeroPoint};
        return q;
    }

    /** Per-channel parameters along {@code dimension}. */
    public static Quantization perChannel(float[] scales, long[] zeroPoints, int dimension) {
        Quantization q = new Quantization();
        q.scale = scales;
        q.zeroPoint = zeroPoints;
        q.quantizedDimension = dimension;
        return q;
    }

    /** True when there is at least one scale (the runtime treats the tensor as quantized). */
    public boolean isQuantized() {
        return scale.length > 0;
    }
}

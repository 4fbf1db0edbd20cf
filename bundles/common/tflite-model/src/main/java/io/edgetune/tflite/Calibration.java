package io.edgetune.tflite;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The activation ranges of a float model, observed by running it on representative inputs (the camera's own
 * frames): the caller lists {@link #tensors()} as interpreter outputs before allocating, runs each input and hands
 * every listed tensor to {@link #observe}. The range of a tensor is the minimum and maximum over all inputs.
 */
public final class Calibration {

    private final int[] tensors;
    private final float[] min;
    private final float[] max;
    private int samples;

    /** For the main subgraph of a float model: every float32 tensor an operator computes, but weight DEQUANTIZEs. */
    public Calibration(TfliteModel model) {
        Subgraph g = model.main();
        List<Integer> wanted = new ArrayList<>();
        for (int i = 0; i < g.tensors.size(); i++) {
            Tensor t = g.tensors.get(i);
            if (t.type != TensorType.FLOAT32 || !model.buffer(t).isEmpty()) {
                continue;
            }
            Operator p = g.producer(i);
            if (p != null && model.builtin(p) == BuiltinOperator.DEQUANTIZE
                    && !model.buffer(g.tensors.get(p.inputs[0])).isEmpty()) {
                continue;
            }
            wanted.add(i);
        }
        tensors = wanted.stream().mapToInt(Integer::intValue).toArray();
        min = new float[g.tensors.size()];
        max = new float[g.tensors.size()];
        java.util.Arrays.fill(min, Float.POSITIVE_INFINITY);
        java.util.Arrays.fill(max, Float.NEGATIVE_INFINITY);
    }

    /** Tensor indices to read after every run (model inputs included). */
    public int[] tensors() {
        return tensors.clone();
    }

    /** Folds one run's values of a tensor into its range (NaN and infinities are ignored). */
    public void observe(int tensor, FloatBuffer values) {
        float lo = min[tensor];
        float hi = max[tensor];
        for (int i = values.position(); i < values.limit(); i++) {
            float v = values.get(i);
            if (v < lo) {
                lo = v;
            }
            if (v > hi) {
                hi = v;
            }
        }
        min[tensor] = lo;
        max[tensor] = hi;
    }

    /** Sets a tensor's range outright (a model input whose range the preprocessing fixes, for example). */
    public void set(int tensor, float lo, float hi) {
        min[tensor] = lo;
        max[tensor] = hi;
    }

    /** Counts one completed input. */
    public void sampleDone() {
        samples++;
    }

    public int samples() {
        return samples;
    }

    /** {min, max} of a tensor, or null when it was never observed. */
    public float[] range(int tensor) {
        return min[tensor] <= max[tensor] ? new float[] {min[tensor], max[tensor]} : null;
    }
}

package io.edgetune.tflite;

/** One tensor of a subgraph. {@code buffer} indexes Model.buffers; buffer 0 is the empty one. */
public final class Tensor {

    public int[] shape = new int[0];
    public int type;
    public int buffer;
    public String name = "";
    /** Null when the tensor is not quantized. */
    public Quantization quantization;
    public boolean isVariable;
    /** Null when absent. */
    public int[] shapeSignature;
    public boolean hasRank;

    public Tensor() {
    }

    public Tensor(String name, int type, int[] shape, int buffer) {
        this.name = name;
        this.type = type;
        this.shape = shape;
        this.buffer = buffer;
    }

    /** Number of elements (1 for a scalar). */
    public long elements() {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** A copy with the same fields (quantization shared), for derived tensors. */
    public Tensor copy() {
        Tensor t = new Tensor(name, type, shape.clone(), buffer);
        t.quantization = quantization;
        t.isVariable = isVariable;
        t.shapeSignature = shapeSignature == null ? null : shapeSignature.clone();
        t.hasRank = hasRank;
        return t;
    }

    @Override
    public String toString() {
        return name + " " + TensorType.name(type) + java.util.Arrays.toString(shape);
    }
}

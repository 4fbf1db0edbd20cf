package io.edgetune.tflite;

import java.util.ArrayList;
import java.util.List;

/** A subgraph: tensors, operators in execution order, and which tensors are its inputs and outputs. */
public final class Subgraph {

    public final List<Tensor> tensors = new ArrayList<>();
    public final List<Operator> operators = new ArrayList<>();
    public int[] inputs = new int[0];
    public int[] outputs = new int[0];
    public String name;

    /** The operator that writes the tensor, or null (inputs and constants). */
    public Operator producer(int tensor) {
        for (Operator op : operators) {
            for (int o : op.outputs) {
                if (o == tensor) {
                    return op;
                }
            }
        }
        return null;
    }

    /** Operators that read the tensor. */
    public List<Operator> consumers(int tensor) {
        List<Operator> out = new ArrayList<>();
        for (Operator op : operators) {
            for (int i : op.inputs) {
                if (i == tensor) {
                    out.add(op);
                    break;
                }
            }
        }
        return out;
    }

    /** Index of the first tensor with this name, or -1. */
    public int tensorIndex(String name) {
        for (int i = 0; i < tensors.size(); i++) {
            if (tensors.get(i).name.equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** Adds a tensor and returns its index. */
    public int add(Tensor t) {
        tensors.add(t);
        return tensors.size() - 1;
    }
}

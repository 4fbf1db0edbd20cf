package io.edgetune.tflite;

/** One node of a subgraph. Input index -1 is an omitted optional input. */
public final class Operator {

    public int opcodeIndex;
    public int[] inputs = new int[0];
    public int[] outputs = new int[0];
    /** Null when the operator has no builtin options. */
    public BuiltinOptions builtinOptions;
    /** Null when absent. */
    public byte[] customOptions;
    public int customOptionsFormat;
    /** Null when absent. */
    public boolean[] mutatingVariableInputs;
    /** Null when absent. */
    public int[] intermediates;

    public Operator() {
    }

    public Operator(int opcodeIndex, int[] inputs, int[] outputs, BuiltinOptions options) {
        this.opcodeIndex = opcodeIndex;
        this.inputs = inputs;
        this.outputs = outputs;
        this.builtinOptions = options;
    }
}

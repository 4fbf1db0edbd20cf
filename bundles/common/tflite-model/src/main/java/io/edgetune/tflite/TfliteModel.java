package io.edgetune.tflite;

import java.util.ArrayList;
import java.util.List;

/**
 * A TFLite model (schema version 3) as plain objects: {@link #read(byte[])} parses a flatbuffer with every offset
 * bounds-checked, {@link #write()} serialises it again in a layout the TFLite verifier accepts (constant data
 * 16-byte aligned). Fields the reader does not carry (sparsity, custom quantization details, builtin options
 * outside {@link BuiltinOptions}) make {@link #read} fail with a message instead of being dropped silently.
 */
public final class TfliteModel {

    /** Model.metadata entry: a named buffer (for example the converter's min_runtime_version). */
    public static final class Metadata {
        public String name;
        public int buffer;

        public Metadata(String name, int buffer) {
            this.name = name;
            this.buffer = buffer;
        }
    }

    /** A name to tensor index pair of a SignatureDef. */
    public static final class TensorMap {
        public String name;
        public int tensorIndex;

        public TensorMap(String name, int tensorIndex) {
            this.name = name;
            this.tensorIndex = tensorIndex;
        }
    }

    /** Model.signature_defs entry. */
    public static final class SignatureDef {
        public final List<TensorMap> inputs = new ArrayList<>();
        public final List<TensorMap> outputs = new ArrayList<>();
        public String signatureKey;
        public int subgraphIndex;
    }

    public int version = 3;
    public String description;
    public final List<OperatorCode> operatorCodes = new ArrayList<>();
    public final List<Subgraph> subgraphs = new ArrayList<>();
    public final List<Buffer> buffers = new ArrayList<>();
    public final List<Metadata> metadata = new ArrayList<>();
    /** Null when absent. */
    public int[] metadataBuffer;
    public final List<SignatureDef> signatureDefs = new ArrayList<>();

    /** Parses a model file. */
    public static TfliteModel read(byte[] bytes) throws TfliteException {
        return FlatReader.read(bytes);
    }

    /** Serialises the model; the result is a new, independent file. */
    public byte[] write() {
        return new FlatWriter().write(this);
    }

    /** The main (first) subgraph. */
    public Subgraph main() {
        return subgraphs.get(0);
    }

    /** Builtin operator code of an operator. */
    public int builtin(Operator op) {
        return operatorCodes.get(op.opcodeIndex).builtinCode;
    }

    /** The buffer of a tensor (the empty buffer 0 for computed tensors or bad indices). */
    public Buffer buffer(Tensor t) {
        return t.buffer > 0 && t.buffer < buffers.size() ? buffers.get(t.buffer) : new Buffer(new byte[0]);
    }

    /** Index of the operator code for a builtin (added, version as given, when the model has none yet). */
    public int opcode(int builtin, int version) {
        for (int i = 0; i < operatorCodes.size(); i++) {
            OperatorCode c = operatorCodes.get(i);
            if (c.builtinCode == builtin && c.customCode == null) {
                c.version = Math.max(c.version, version);
                return i;
            }
        }
        operatorCodes.add(new OperatorCode(builtin, null, version));
        return operatorCodes.size() - 1;
    }

    /** Appends a buffer and returns its index. */
    public int addBuffer(byte[] data) {
        buffers.add(new Buffer(data));
        return buffers.size() - 1;
    }

    /** Problems with the quantization parameters of every subgraph; empty when the model is consistent. */
    public List<String> quantizationProblems() {
        return QuantizationCheck.problems(this);
    }
}

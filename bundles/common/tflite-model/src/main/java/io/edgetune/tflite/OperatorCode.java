package io.edgetune.tflite;

/** Model.operator_codes entry: a builtin code (or CUSTOM with a custom code) and the op version. */
public final class OperatorCode {

    public int builtinCode;
    public String customCode;
    public int version = 1;

    public OperatorCode(int builtinCode, String customCode, int version) {
        this.builtinCode = builtinCode;
        this.customCode = customCode;
        this.version = version;
    }
}

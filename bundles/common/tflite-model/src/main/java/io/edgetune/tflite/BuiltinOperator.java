package io.edgetune.tflite;

/** Schema BuiltinOperator codes of the operators EdgeTune reads or writes. */
public final class BuiltinOperator {

    public static final int ADD = 0;
    public static final int AVERAGE_POOL_2D = 1;
    public static final int CONCATENATION = 2;
    public static final int CONV_2D = 3;
    public static final int DEPTHWISE_CONV_2D = 4;
    public static final int DEQUANTIZE = 6;
    public static final int FULLY_CONNECTED = 9;
    public static final int LOGISTIC = 14;
    public static final int MAX_POOL_2D = 17;
    public static final int MUL = 18;
    public static final int RELU = 19;
    public static final int RELU6 = 21;
    public static final int RESHAPE = 22;
    public static final int SOFTMAX = 25;
    public static final int CUSTOM = 32;
    public static final int PAD = 34;
    public static final int SQUEEZE = 43;
    public static final int QUANTIZE = 114;

    private BuiltinOperator() {
    }
}

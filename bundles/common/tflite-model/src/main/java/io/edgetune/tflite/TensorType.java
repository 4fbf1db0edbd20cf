package io.edgetune.tflite;

/** Schema TensorType values (tflite::TensorType; not the C API's TfLiteType numbering). */
public final class TensorType {

    public static final int FLOAT32 = 0;
    public static final int FLOAT16 = 1;
    public static final int INT32 = 2;
    public static final int UINT8 = 3;
    public static final int INT64 = 4;
    public static final int STRING = 5;
    public static final int BOOL = 6;
    public static final int INT16 = 7;
    public static final int INT8 = 9;
    public static final int FLOAT64 = 10;

    private TensorType() {
    }

    /** Bytes per element, or -1 for types without a fixed size (strings, unknown). */
    public static int size(int type) {
        switch (type) {
            case FLOAT32: case INT32: return 4;
            case FLOAT16: case INT16: return 2;
            case UINT8: case INT8: case BOOL: return 1;
            case INT64: case FLOAT64: return 8;
            default: return -1;
        }
    }

    /** Smallest and largest value of an integer type, or null for other types. */
    public static long[] range(int type) {
        switch (type) {
            case INT8: return new long[] {-128, 127};
            case UINT8: return new long[] {0, 255};
            case INT16: return new long[] {-32768, 32767};
            case INT32: return new long[] {Integer.MIN_VALUE, Integer.MAX_VALUE};
            case INT64: return new long[] {Long.MIN_VALUE, Long.MAX_VALUE};
            default: return null;
        }
    }

    public static String name(int type) {
        switch (type) {
            case FLOAT32: return "FLOAT32";
            case FLOAT16: return "FLOAT16";
            case INT32: return "INT32";
            case UINT8: return "UINT8";
            case INT64: return "INT64";
            case STRING: return "STRING";
            case BOOL: return "BOOL";
            case INT16: return "INT16";
            case INT8: return "INT8";
            case FLOAT64: return "FLOAT64";
            default: return "type " + type;
        }
    }
}

package io.edgetune.tflite;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * An operator's builtin options (one member of the schema's BuiltinOptions union): the union type and the
 * table's fields by field id. A field is a Long (integer, enum or bool), a Float or an int[] (vector of int);
 * null means absent (the schema default applies). Only the option tables listed in {@link #LAYOUTS} can be read
 * and written: a model with another kind is refused with its type number rather than copied wrongly.
 */
public final class BuiltinOptions {

    /** Field kinds: 'b' 1-byte scalar, 'i' 4-byte int, 'f' float, 'v' vector of int. */
    static final Map<Integer, String> LAYOUTS = new HashMap<>();
    public static final int CONV_2D = 1;
    public static final int DEPTHWISE_CONV_2D = 2;
    public static final int POOL_2D = 5;
    public static final int FULLY_CONNECTED = 8;
    public static final int SOFTMAX = 9;
    public static final int CONCATENATION = 10;
    public static final int ADD = 11;
    public static final int RESHAPE = 17;
    public static final int MUL = 21;
    public static final int PAD = 22;
    public static final int SUB = 28;
    public static final int SQUEEZE = 30;
    public static final int DEQUANTIZE = 38;
    public static final int QUANTIZE = 89;

    static {
        LAYOUTS.put(CONV_2D, "biibiib");            // padding, stride w/h, activation, dilation w/h, quantized bias type
        LAYOUTS.put(DEPTHWISE_CONV_2D, "biiibii");  // padding, stride w/h, depth multiplier, activation, dilation w/h
        LAYOUTS.put(POOL_2D, "biiiib");             // padding, stride w/h, filter w/h, activation
        LAYOUTS.put(FULLY_CONNECTED, "bbbbb");      // activation, weights format, keep dims, asymmetric, bias type
        LAYOUTS.put(SOFTMAX, "f");                  // beta
        LAYOUTS.put(CONCATENATION, "ib");           // axis, activation
        LAYOUTS.put(ADD, "bb");                     // activation, pot_scale_int16
        LAYOUTS.put(RESHAPE, "v");                  // new_shape
        LAYOUTS.put(MUL, "b");                      // activation
        LAYOUTS.put(PAD, "");
        LAYOUTS.put(SUB, "bb");                     // activation, pot_scale_int16
        LAYOUTS.put(SQUEEZE, "v");                  // squeeze_dims
        LAYOUTS.put(DEQUANTIZE, "");
        LAYOUTS.put(QUANTIZE, "");
    }

    public final int type;
    public final Object[] fields;

    public BuiltinOptions(int type) {
        String layout = LAYOUTS.get(type);
        if (layout == null) {
            throw new IllegalArgumentException("builtin options type " + type + " is not supported");
        }
        this.type = type;
        this.fields = new Object[layout.length()];
    }

    public static boolean supported(int type) {
        return LAYOUTS.containsKey(type);
    }

    String layout() {
        return LAYOUTS.get(type);
    }

    public long getInt(int field, long defaultValue) {
        Object v = fields[field];
        return v instanceof Number ? ((Number) v).longValue() : defaultValue;
    }

    public BuiltinOptions set(int field, Object value) {
        fields[field] = value;
        return this;
    }

    public BuiltinOptions copy() {
        BuiltinOptions o = new BuiltinOptions(type);
        for (int i = 0; i < fields.length; i++) {
            o.fields[i] = fields[i] instanceof int[] ? ((int[]) fields[i]).clone() : fields[i];
        }
        return o;
    }

    @Override
    public String toString() {
        return "options " + type + " " + Arrays.deepToString(fields);
    }
}

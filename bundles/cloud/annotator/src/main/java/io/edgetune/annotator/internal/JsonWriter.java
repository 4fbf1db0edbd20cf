package io.edgetune.annotator.internal;

import java.util.Map;

/**
 * A minimal JSON writer into a StringBuilder; the caller nests objects and
 * arrays correctly, the writer places the commas.
 */
final class JsonWriter {

    private final StringBuilder out;
    /** One flag per open container: does it already hold a value? */
    private boolean[] hasValue = new boolean[16];
    private int depth;
    private boolean afterName;

    JsonWriter(StringBuilder out) {
        this.out = out;
    }

    JsonWriter beginObject() {
        value();
        out.append('{');
        push();
        return this;
    }

    JsonWriter endObject() {
        depth--;
        out.append('}');
        return this;
    }

    JsonWriter beginArray() {
        value();
        out.append('[');
        push();
        return this;
    }

    JsonWriter endArray() {
        depth--;
        out.append(']');
        return this;
    }

    JsonWriter name(String name) {
        value();
        string(name);
        out.append(':');
        afterName = true;
        return this;
    }

    JsonWriter value(String s) {
        value();
        if (s == null) {
            out.append("null");
        } else {
            string(s);
        }
        return this;
    }

    JsonWriter value(long n) {
        value();
        out.append(n);
        return this;
    }

    /** Rounded to one decimal: pixel boxes need no more. */
    JsonWriter value1(double d) {
        value();
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException("JSON has no " + d);
        }
        long tenths = Math.round(d * 10);
        if (tenths % 10 == 0) {
            out.append(tenths / 10);
        } else {
            out.append(tenths / 10.0);
        }
        return this;
    }

    /** Rounded to three decimals (scores). */
    JsonWriter value3(double d) {
        value();
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException("JSON has no " + d);
        }
        out.append(Math.round(d * 1000) / 1000.0);
        return this;
    }

    /** Maps, lists, strings, booleans, numbers (floats to four decimals, non-finite ones as null) and null. */
    JsonWriter any(Object v) {
        if (v == null) {
            value();
            out.append("null");
        } else if (v instanceof Map<?, ?> m) {
            beginObject();
            m.forEach((k, x) -> name(String.valueOf(k)).any(x));
            endObject();
        } else if (v instanceof Iterable<?> l) {
            beginArray();
            l.forEach(this::any);
            endArray();
        } else if (v instanceof Boolean b) {
            value();
            out.append(b);
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            value();
            out.append(Double.isFinite(d) ? Double.toString(Math.round(d * 10_000) / 10_000.0) : "null");
        } else if (v instanceof Number n) {
            value(n.longValue());
        } else {
            value(v.toString());
        }
        return this;
    }

    static void write(StringBuilder out, Object v) {
        new JsonWriter(out).any(v);
    }

    JsonWriter field(String name, String v) {
        return name(name).value(v);
    }

    JsonWriter field(String name, long v) {
        return name(name).value(v);
    }

    private void push() {
        if (depth == hasValue.length) {
            hasValue = java.util.Arrays.copyOf(hasValue, depth * 2);
        }
        hasValue[depth++] = false;
    }

    /** Comma before every value of a container except the first; none right after a name. */
    private void value() {
        if (afterName) {
            afterName = false;
            return;
        }
        if (depth > 0) {
            if (hasValue[depth - 1]) {
                out.append(',');
            }
            hasValue[depth - 1] = true;
        }
    }

    private void string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}

package io.edgetune.annotator.review.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The little JSON the review page needs: a writer for the responses and a
 * reader for flat request objects ({"gateway": "gw-1", "id": 42, ...}).
 */
final class Json {

    private Json() {
    }

    /** Appends {@code s} as a JSON string; also escapes {@code < > &} so a sniffed response never runs as HTML. */
    static void quote(StringBuilder out, String s) {
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
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** A streaming writer that places the commas itself. */
    static final class Writer {
        private final StringBuilder out = new StringBuilder(256);
        /** Per open container: whether it already holds a member. */
        private final Deque<boolean[]> open = new ArrayDeque<>();
        private boolean afterName;

        Writer beginObject() {
            separate();
            out.append('{');
            open.push(new boolean[1]);
            return this;
        }

        Writer endObject() {
            open.pop();
            out.append('}');
            return this;
        }

        Writer beginArray() {
            separate();
            out.append('[');
            open.push(new boolean[1]);
            return this;
        }

        Writer endArray() {
            open.pop();
            out.append(']');
            return this;
        }

        Writer name(String name) {
            separate();
            quote(out, name);
            out.append(':');
            afterName = true;
            return this;
        }

        Writer value(String s) {
            separate();
            if (s == null) {
                out.append("null");
            } else {
                quote(out, s);
            }
            return this;
        }

        Writer value(long n) {
            separate();
            out.append(n);
            return this;
        }

        /** NaN and infinities have no JSON form: they become null. */
        Writer value(double d) {
            separate();
            if (Double.isFinite(d)) {
                out.append(d);
            } else {
                out.append("null");
            }
            return this;
        }

        /** Floats keep their own short decimal form (31.5, not 31.499999046325684). */
        Writer value(float f) {
            separate();
            if (Float.isFinite(f)) {
                out.append(f);
            } else {
                out.append("null");
            }
            return this;
        }

        Writer value(boolean b) {
            separate();
            out.append(b);
            return this;
        }

        Writer field(String name, String s) {
            return name(name).value(s);
        }

        Writer field(String name, long n) {
            return name(name).value(n);
        }

        Writer field(String name, double d) {
            return name(name).value(d);
        }

        Writer field(String name, float f) {
            return name(name).value(f);
        }

        Writer field(String name, boolean b) {
            return name(name).value(b);
        }

        private void separate() {
            if (afterName) {
                afterName = false;
                return;
            }
            boolean[] container = open.peek();
            if (container != null) {
                if (container[0]) {
                    out.append(',');
                }
                container[0] = true;
            }
        }

        @Override
        public String toString() {
            return out.toString();
        }
    }

    /**
     * Reads one JSON object whose values are strings, numbers, booleans or null
     * (numbers and booleans as their text, null as Java null).
     *
     * @throws IllegalArgumentException with a short reason when the text is not such an object
     */
    static Map<String, String> readFlatObject(String text) {
        Reader r = new Reader(text);
        Map<String, String> out = new LinkedHashMap<>();
        r.skipSpace();
        r.expect('{');
        r.skipSpace();
        if (r.peek() == '}') {
            r.pos++;
        } else {
            while (true) {
                r.skipSpace();
                String key = r.string();
                r.skipSpace();
                r.expect(':');
                r.skipSpace();
                out.put(key, r.scalar());
                r.skipSpace();
                char c = r.next();
                if (c == '}') {
                    break;
                }
                if (c != ',') {
                    throw new IllegalArgumentException("expected ',' or '}' at " + (r.pos - 1));
                }
            }
        }
        r.skipSpace();
        if (r.pos != text.length()) {
            throw new IllegalArgumentException("text after the object at " + r.pos);
        }
        return out;
    }

    private static final class Reader {
        private final String s;
        private int pos;

        Reader(String s) {
            this.s = s;
        }

        char peek() {
            if (pos >= s.length()) {
                throw new IllegalArgumentException("unexpected end of the JSON text");
            }
            return s.charAt(pos);
        }

        char next() {
            char c = peek();
            pos++;
            return c;
        }

        void expect(char c) {
            if (next() != c) {
                throw new IllegalArgumentException("expected '" + c + "' at " + (pos - 1));
            }
        }

        void skipSpace() {
            while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t' || s.charAt(pos) == '\n' || s.charAt(pos) == '\r')) {
                pos++;
            }
        }

        String scalar() {
            char c = peek();
            if (c == '"') {
                return string();
            }
            if (c == '{' || c == '[') {
                throw new IllegalArgumentException("nested values are not expected (at " + pos + ")");
            }
            int start = pos;
            while (pos < s.length() && "+-.0123456789eEtruefalsn".indexOf(s.charAt(pos)) >= 0) {
                pos++;
            }
            String word = s.substring(start, pos);
            if (word.equals("null")) {
                return null;
            }
            if (word.equals("true") || word.equals("false")) {
                return word;
            }
            if (!word.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?")) {
                throw new IllegalArgumentException("not a JSON value at " + start);
            }
            return word;
        }

        String string() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (true) {
                char c = next();
                if (c == '"') {
                    return out.toString();
                }
                if (c < 0x20) {
                    throw new IllegalArgumentException("control character in a string at " + (pos - 1));
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                char e = next();
                switch (e) {
                    case '"', '\\', '/' -> out.append(e);
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        if (pos + 4 > s.length()) {
                            throw new IllegalArgumentException("short \\u escape at " + pos);
                        }
                        try {
                            out.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
                        } catch (NumberFormatException ex) {
                            throw new IllegalArgumentException("bad \\u escape at " + pos);
                        }
                        pos += 4;
                    }
                    default -> throw new IllegalArgumentException("bad escape \\" + e + " at " + (pos - 1));
                }
            }
        }
    }
}

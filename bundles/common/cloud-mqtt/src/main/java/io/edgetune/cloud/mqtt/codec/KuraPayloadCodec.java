package io.edgetune.cloud.mqtt.codec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.eclipse.kura.message.KuraPayload;
import org.eclipse.kura.message.KuraPosition;

/**
 * KuraPayload to and from its protobuf (proto2) wire form, written by hand so
 * the gateway needs no protobuf runtime.
 *
 * <p>Fields: payload 1 timestamp (int64 ms), 2 position, 5000 metric
 * (repeated), 5001 body; metric 1 name, 2 type, 3..9 value by type; position
 * 1..6 doubles, 7 timestamp, 8 satellites, 9 status. Unknown fields are
 * skipped. Input starting with the gzip magic is inflated first.
 */
public final class KuraPayloadCodec {

    /** Metric value types of the wire format. */
    public static final int DOUBLE = 0, FLOAT = 1, INT64 = 2, INT32 = 3, BOOL = 4, STRING = 5, BYTES = 6;

    /** Upper bound for an inflated payload, against decompression bombs. */
    public static final int DEFAULT_MAX_INFLATED_BYTES = 64 * 1024 * 1024;

    private static final int WIRE_VARINT = 0, WIRE_FIXED64 = 1, WIRE_LEN = 2, WIRE_FIXED32 = 5;

    private KuraPayloadCodec() {
    }

    // ---------------------------------------------------------------- encoding

    public static byte[] encode(KuraPayload payload) {
        Writer w = new Writer(64 + (payload.getBody() == null ? 0 : payload.getBody().length));
        if (payload.getTimestamp() != null) {
            w.tag(1, WIRE_VARINT).varint(payload.getTimestamp().getTime());
        }
        if (payload.getPosition() != null) {
            Writer p = new Writer(64);
            writePosition(p, payload.getPosition());
            w.tag(2, WIRE_LEN).bytes(p.buf, 0, p.len);
        }
        Writer m = new Writer(64);
        for (Map.Entry<String, Object> e : payload.metrics().entrySet()) {
            m.len = 0;
            writeMetric(m, e.getKey(), e.getValue());
            w.tag(5000, WIRE_LEN).bytes(m.buf, 0, m.len);
        }
        if (payload.getBody() != null) {
            w.tag(5001, WIRE_LEN).bytes(payload.getBody(), 0, payload.getBody().length);
        }
        return w.toByteArray();
    }

    /** Encodes and gzips when the encoded form is at least {@code threshold} bytes (never when threshold &lt; 0). */
    public static byte[] encode(KuraPayload payload, int gzipThreshold) {
        byte[] plain = encode(payload);
        if (gzipThreshold < 0 || plain.length < gzipThreshold) {
            return plain;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(plain.length / 2 + 32);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(plain);
        } catch (IOException e) {
            throw new IllegalStateException("gzip into memory failed", e);
        }
        return out.toByteArray();
    }

    private static void writeMetric(Writer m, String name, Object value) {
        if (name == null) {
            throw new PayloadFormatException("metric name is null");
        }
        m.tag(1, WIRE_LEN).string(name);
        if (value instanceof Double d) {
            m.tag(2, WIRE_VARINT).varint(DOUBLE).tag(3, WIRE_FIXED64).fixed64(Double.doubleToRawLongBits(d));
        } else if (value instanceof Float f) {
            m.tag(2, WIRE_VARINT).varint(FLOAT).tag(4, WIRE_FIXED32).fixed32(Float.floatToRawIntBits(f));
        } else if (value instanceof Long l) {
            m.tag(2, WIRE_VARINT).varint(INT64).tag(5, WIRE_VARINT).varint(l);
        } else if (value instanceof Integer i) {
            // proto int32: negative values are sign-extended to 64 bits
            m.tag(2, WIRE_VARINT).varint(INT32).tag(6, WIRE_VARINT).varint(i.longValue());
        } else if (value instanceof Boolean b) {
            m.tag(2, WIRE_VARINT).varint(BOOL).tag(7, WIRE_VARINT).varint(b ? 1 : 0);
        } else if (value instanceof String s) {
            m.tag(2, WIRE_VARINT).varint(STRING).tag(8, WIRE_LEN).string(s);
        } else if (value instanceof byte[] bytes) {
            m.tag(2, WIRE_VARINT).varint(BYTES).tag(9, WIRE_LEN).bytes(bytes, 0, bytes.length);
        } else {
            throw new PayloadFormatException("metric '" + name + "' has unsupported type "
                    + (value == null ? "null" : value.getClass().getName())
                    + " (use Double, Float, Long, Integer, Boolean, String or byte[])");
        }
    }

    private static void writePosition(Writer p, KuraPosition pos) {
        // latitude and longitude are required by the schema; 0 stands in when unknown
        p.tag(1, WIRE_FIXED64).fixed64(Double.doubleToRawLongBits(pos.getLatitude() == null ? 0 : pos.getLatitude()));
        p.tag(2, WIRE_FIXED64).fixed64(Double.doubleToRawLongBits(pos.getLongitude() == null ? 0 : pos.getLongitude()));
        optionalDouble(p, 3, pos.getAltitude());
        optionalDouble(p, 4, pos.getPrecision());
        optionalDouble(p, 5, pos.getHeading());
        optionalDouble(p, 6, pos.getSpeed());
        if (pos.getTimestamp() != null) {
            p.tag(7, WIRE_VARINT).varint(pos.getTimestamp().getTime());
        }
        if (pos.getSatellites() != null) {
            p.tag(8, WIRE_VARINT).varint(pos.getSatellites().longValue());
        }
        if (pos.getStatus() != null) {
            p.tag(9, WIRE_VARINT).varint(pos.getStatus().longValue());
        }
    }

    private static void optionalDouble(Writer p, int field, Double value) {
        if (value != null) {
            p.tag(field, WIRE_FIXED64).fixed64(Double.doubleToRawLongBits(value));
        }
    }

    // ---------------------------------------------------------------- decoding

    /** Decodes a plain or gzip-compressed payload; any malformation raises {@link PayloadFormatException}. */
    public static KuraPayload decode(byte[] bytes) {
        return decode(bytes, DEFAULT_MAX_INFLATED_BYTES);
    }

    public static KuraPayload decode(byte[] bytes, int maxInflatedBytes) {
        if (bytes == null) {
            throw new PayloadFormatException("payload is null");
        }
        if (isGzip(bytes)) {
            bytes = gunzip(bytes, maxInflatedBytes);
        }
        Reader r = new Reader(bytes, 0, bytes.length);
        KuraPayload payload = new KuraPayload();
        while (r.hasMore()) {
            long key = r.varint();
            int field = field(key);
            int wire = (int) (key & 7);
            if (field == 1 && wire == WIRE_VARINT) {
                payload.setTimestamp(new Date(r.varint()));
            } else if (field == 2 && wire == WIRE_LEN) {
                payload.setPosition(readPosition(r.sub()));
            } else if (field == 5000 && wire == WIRE_LEN) {
                readMetric(r.sub(), payload);
            } else if (field == 5001 && wire == WIRE_LEN) {
                payload.setBody(r.lengthDelimited());
            } else {
                r.skip(field, wire);
            }
        }
        return payload;
    }

    public static boolean isGzip(byte[] bytes) {
        return bytes.length >= 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b;
    }

    private static byte[] gunzip(byte[] bytes, int max) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes), 8192)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(max, bytes.length * 4 + 64));
            byte[] chunk = new byte[8192];
            int n;
            while ((n = in.read(chunk)) > 0) {
                if (out.size() + n > max) {
                    throw new PayloadFormatException("gzip payload inflates beyond " + max + " bytes");
                }
                out.write(chunk, 0, n);
            }
            return out.toByteArray();
        } catch (IOException | RuntimeException e) {
            if (e instanceof PayloadFormatException pfe) {
                throw pfe;
            }
            throw new PayloadFormatException("corrupt gzip payload: " + e.getMessage(), e);
        }
    }

    private static void readMetric(Reader r, KuraPayload payload) {
        String name = null;
        int type = -1;
        Object dbl = null, flt = null, lng = null, integer = null, bool = null, str = null, bytes = null;
        while (r.hasMore()) {
            long key = r.varint();
            int field = field(key);
            int wire = (int) (key & 7);
            switch (field) {
                case 1 -> { expect(wire, WIRE_LEN, "metric name"); name = r.string(); }
                case 2 -> { expect(wire, WIRE_VARINT, "metric type"); type = (int) r.varint(); }
                case 3 -> { expect(wire, WIRE_FIXED64, "double value"); dbl = Double.longBitsToDouble(r.fixed64()); }
                case 4 -> { expect(wire, WIRE_FIXED32, "float value"); flt = Float.intBitsToFloat(r.fixed32()); }
                case 5 -> { expect(wire, WIRE_VARINT, "int64 value"); lng = r.varint(); }
                case 6 -> { expect(wire, WIRE_VARINT, "int32 value"); integer = (int) r.varint(); }
                case 7 -> { expect(wire, WIRE_VARINT, "bool value"); bool = r.varint() != 0; }
                case 8 -> { expect(wire, WIRE_LEN, "string value"); str = r.string(); }
                case 9 -> { expect(wire, WIRE_LEN, "bytes value"); bytes = r.lengthDelimited(); }
                default -> r.skip(field, wire);
            }
        }
        if (name == null) {
            throw new PayloadFormatException("metric without a name");
        }
        Object value = switch (type) {
            case DOUBLE -> dbl;
            case FLOAT -> flt;
            case INT64 -> lng;
            case INT32 -> integer;
            case BOOL -> bool;
            case STRING -> str;
            case BYTES -> bytes;
            case -1 -> throw new PayloadFormatException("metric '" + name + "' has no type");
            default -> throw new PayloadFormatException("metric '" + name + "' has unknown type " + type);
        };
        if (value == null) {
            throw new PayloadFormatException("metric '" + name + "' has no value for its type " + type);
        }
        payload.addMetric(name, value);
    }

    private static KuraPosition readPosition(Reader r) {
        KuraPosition pos = new KuraPosition();
        while (r.hasMore()) {
            long key = r.varint();
            int field = field(key);
            int wire = (int) (key & 7);
            if (field >= 1 && field <= 6) {
                expect(wire, WIRE_FIXED64, "position field " + field);
                double v = Double.longBitsToDouble(r.fixed64());
                switch (field) {
                    case 1 -> pos.setLatitude(v);
                    case 2 -> pos.setLongitude(v);
                    case 3 -> pos.setAltitude(v);
                    case 4 -> pos.setPrecision(v);
                    case 5 -> pos.setHeading(v);
                    default -> pos.setSpeed(v);
                }
            } else if (field >= 7 && field <= 9) {
                expect(wire, WIRE_VARINT, "position field " + field);
                long v = r.varint();
                switch (field) {
                    case 7 -> pos.setTimestamp(new Date(v));
                    case 8 -> pos.setSatellites((int) v);
                    default -> pos.setStatus((int) v);
                }
            } else {
                r.skip(field, wire);
            }
        }
        if (pos.getLatitude() == null || pos.getLongitude() == null) {
            throw new PayloadFormatException("position without latitude or longitude (both are required)");
        }
        return pos;
    }

    private static int field(long key) {
        long field = key >>> 3;
        if (field < 1 || field > 536_870_911L) {
            throw new PayloadFormatException("invalid field number " + field);
        }
        return (int) field;
    }

    private static void expect(int wire, int expected, String what) {
        if (wire != expected) {
            throw new PayloadFormatException(what + " has wire type " + wire + ", expected " + expected);
        }
    }

    // ---------------------------------------------------------------- primitives

    private static final class Writer {
        byte[] buf;
        int len;

        Writer(int capacity) {
            buf = new byte[Math.max(16, capacity)];
        }

        private void ensure(int extra) {
            if (len + extra > buf.length) {
                byte[] bigger = new byte[Math.max(buf.length * 2, len + extra)];
                System.arraycopy(buf, 0, bigger, 0, len);
                buf = bigger;
            }
        }

        Writer tag(int field, int wire) {
            return varint(((long) field << 3) | wire);
        }

        Writer varint(long v) {
            ensure(10);
            while ((v & ~0x7FL) != 0) {
                buf[len++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buf[len++] = (byte) v;
            return this;
        }

        Writer fixed64(long v) {
            ensure(8);
            for (int i = 0; i < 8; i++) {
                buf[len++] = (byte) (v >>> (8 * i));
            }
            return this;
        }

        Writer fixed32(int v) {
            ensure(4);
            for (int i = 0; i < 4; i++) {
                buf[len++] = (byte) (v >>> (8 * i));
            }
            return this;
        }

        Writer bytes(byte[] b, int off, int n) {
            varint(n);
            ensure(n);
            System.arraycopy(b, off, buf, len, n);
            len += n;
            return this;
        }

        Writer string(String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            return bytes(utf8, 0, utf8.length);
        }

        byte[] toByteArray() {
            byte[] out = new byte[len];
            System.arraycopy(buf, 0, out, 0, len);
            return out;
        }
    }

    private static final class Reader {
        final byte[] buf;
        int pos;
        final int end;

        Reader(byte[] buf, int pos, int end) {
            this.buf = buf;
            this.pos = pos;
            this.end = end;
        }

        boolean hasMore() {
            return pos < end;
        }

        long varint() {
            long result = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= end) {
                    throw new PayloadFormatException("truncated varint at byte " + pos);
                }
                byte b = buf[pos++];
                result |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return result;
                }
            }
            throw new PayloadFormatException("varint longer than 10 bytes at byte " + pos);
        }

        long fixed64() {
            need(8);
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v |= (long) (buf[pos++] & 0xff) << (8 * i);
            }
            return v;
        }

        int fixed32() {
            need(4);
            int v = 0;
            for (int i = 0; i < 4; i++) {
                v |= (buf[pos++] & 0xff) << (8 * i);
            }
            return v;
        }

        private int length() {
            long n = varint();
            if (n < 0 || n > end - pos) {
                throw new PayloadFormatException("length " + n + " at byte " + pos + " exceeds the " + (end - pos) + " bytes left");
            }
            return (int) n;
        }

        private void need(int n) {
            if (end - pos < n) {
                throw new PayloadFormatException("truncated field at byte " + pos + ": need " + n + " bytes, " + (end - pos) + " left");
            }
        }

        byte[] lengthDelimited() {
            int n = length();
            byte[] out = new byte[n];
            System.arraycopy(buf, pos, out, 0, n);
            pos += n;
            return out;
        }

        String string() {
            int n = length();
            String s = new String(buf, pos, n, StandardCharsets.UTF_8);
            pos += n;
            return s;
        }

        Reader sub() {
            int n = length();
            Reader r = new Reader(buf, pos, pos + n);
            pos += n;
            return r;
        }

        void skip(int field, int wire) {
            switch (wire) {
                case WIRE_VARINT -> varint();
                case WIRE_FIXED64 -> { need(8); pos += 8; }
                case WIRE_LEN -> { int n = length(); pos += n; }
                case WIRE_FIXED32 -> { need(4); pos += 4; }
                default -> throw new PayloadFormatException("field " + field + " has unsupported wire type " + wire);
            }
        }
    }
}

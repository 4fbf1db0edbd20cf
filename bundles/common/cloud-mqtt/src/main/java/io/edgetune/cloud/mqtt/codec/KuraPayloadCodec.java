package io.edgetune.cloud.mqtt.codec;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import com.google.protobuf.UnsafeByteOperations;
import io.edgetune.cloud.mqtt.codec.proto.KuraPayloadProto;
import io.edgetune.cloud.mqtt.codec.proto.KuraPayloadProto.KuraPayload.KuraMetric;
import io.edgetune.cloud.mqtt.codec.proto.KuraPayloadProto.KuraPayload.KuraMetric.ValueType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Date;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.eclipse.kura.message.KuraPayload;
import org.eclipse.kura.message.KuraPosition;

/**
 * KuraPayload to and from its protobuf (proto2) wire form, through the classes that protoc generates
 * from {@code src/main/proto/kurapayload.proto} (payload 1 timestamp, 2 position, 5000 metric, 5001
 * body). Input starting with the gzip magic is inflated first, up to a bound. Unknown fields are
 * skipped; groups, a known field with another wire type than its own, and metrics or positions that
 * lack what the schema requires are refused with {@link PayloadFormatException}.
 */
public final class KuraPayloadCodec {

    /** Metric value types of the wire format. */
    public static final int DOUBLE = 0, FLOAT = 1, INT64 = 2, INT32 = 3, BOOL = 4, STRING = 5, BYTES = 6;

    /** Upper bound for an inflated payload, against decompression bombs. */
    public static final int DEFAULT_MAX_INFLATED_BYTES = 64 * 1024 * 1024;

    private KuraPayloadCodec() {
    }

    // ---------------------------------------------------------------- encoding

    public static byte[] encode(KuraPayload payload) {
        KuraPayloadProto.KuraPayload.Builder b = KuraPayloadProto.KuraPayload.newBuilder();
        if (payload.getTimestamp() != null) {
            b.setTimestamp(payload.getTimestamp().getTime());
        }
        if (payload.getPosition() != null) {
            b.setPosition(toProto(payload.getPosition()));
        }
        KuraMetric.Builder m = KuraMetric.newBuilder();
        for (Map.Entry<String, Object> e : payload.metrics().entrySet()) {
            b.addMetric(toProto(m.clear(), e.getKey(), e.getValue()));
        }
        if (payload.getBody() != null) {
            // serialized before this method returns, so the caller's array need not be copied
            b.setBody(UnsafeByteOperations.unsafeWrap(payload.getBody()));
        }
        return b.build().toByteArray();
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

    private static KuraMetric toProto(KuraMetric.Builder m, String name, Object value) {
        if (name == null) {
            throw new PayloadFormatException("metric name is null");
        }
        m.setName(name);
        if (value instanceof Double d) {
            m.setType(ValueType.DOUBLE).setDoubleValue(d);
        } else if (value instanceof Float f) {
            m.setType(ValueType.FLOAT).setFloatValue(f);
        } else if (value instanceof Long l) {
            m.setType(ValueType.INT64).setLongValue(l);
        } else if (value instanceof Integer i) {
            m.setType(ValueType.INT32).setIntValue(i);
        } else if (value instanceof Boolean bool) {
            m.setType(ValueType.BOOL).setBoolValue(bool);
        } else if (value instanceof String s) {
            m.setType(ValueType.STRING).setStringValue(s);
        } else if (value instanceof byte[] bytes) {
            m.setType(ValueType.BYTES).setBytesValue(UnsafeByteOperations.unsafeWrap(bytes));
        } else {
            throw new PayloadFormatException("metric '" + name + "' has unsupported type "
                    + (value == null ? "null" : value.getClass().getName())
                    + " (use Double, Float, Long, Integer, Boolean, String or byte[])");
        }
        return m.build();
    }

    private static KuraPayloadProto.KuraPayload.KuraPosition toProto(KuraPosition pos) {
        // latitude and longitude are required by the schema; 0 stands in when unknown
        KuraPayloadProto.KuraPayload.KuraPosition.Builder p = KuraPayloadProto.KuraPayload.KuraPosition.newBuilder()
                .setLatitude(pos.getLatitude() == null ? 0 : pos.getLatitude())
                .setLongitude(pos.getLongitude() == null ? 0 : pos.getLongitude());
        if (pos.getAltitude() != null) {
            p.setAltitude(pos.getAltitude());
        }
        if (pos.getPrecision() != null) {
            p.setPrecision(pos.getPrecision());
        }
        if (pos.getHeading() != null) {
            p.setHeading(pos.getHeading());
        }
        if (pos.getSpeed() != null) {
            p.setSpeed(pos.getSpeed());
        }
        if (pos.getTimestamp() != null) {
            p.setTimestamp(pos.getTimestamp().getTime());
        }
        if (pos.getSatellites() != null) {
            p.setSatellites(pos.getSatellites());
        }
        if (pos.getStatus() != null) {
            p.setStatus(pos.getStatus());
        }
        return p.build();
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
        KuraPayloadProto.KuraPayload msg;
        try {
            // partial: missing required fields are reported below, with the metric's name
            msg = KuraPayloadProto.KuraPayload.parser().parsePartialFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new PayloadFormatException("malformed KuraPayload: " + e.getMessage(), e);
        }
        refuseGroups(msg.getUnknownFields(), "payload");
        KuraPayload payload = new KuraPayload();
        if (msg.hasTimestamp()) {
            payload.setTimestamp(new Date(msg.getTimestamp()));
        }
        if (msg.hasPosition()) {
            payload.setPosition(fromProto(msg.getPosition()));
        }
        for (KuraMetric m : msg.getMetricList()) {
            addMetric(m, payload);
        }
        if (msg.hasBody()) {
            payload.setBody(msg.getBody().toByteArray());
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

    private static void addMetric(KuraMetric m, KuraPayload payload) {
        UnknownFieldSet unknown = m.getUnknownFields();
        String what = m.hasName() ? "metric '" + m.getName() + "'" : "metric";
        refuseGroups(unknown, what);
        // protobuf keeps a known field that came with another wire type, or an enum number outside
        // ValueType, as an unknown field; the format has no room for either
        for (Map.Entry<Integer, UnknownFieldSet.Field> e : unknown.asMap().entrySet()) {
            int field = e.getKey();
            UnknownFieldSet.Field f = e.getValue();
            if (field == 2 && !f.getVarintList().isEmpty()) {
                throw new PayloadFormatException(what + " has unknown type " + (int) (long) f.getVarintList().get(f.getVarintList().size() - 1));
            }
            if (field >= 1 && field <= 9) {
                throw new PayloadFormatException(what + " field " + field + " has the wrong wire type (" + wireTypes(f) + ")");
            }
        }
        if (!m.hasName()) {
            throw new PayloadFormatException("metric without a name");
        }
        if (!m.hasType()) {
            throw new PayloadFormatException(what + " has no type");
        }
        ValueType type = m.getType();
        Object value = switch (type) {
            case DOUBLE -> m.hasDoubleValue() ? m.getDoubleValue() : null;
            case FLOAT -> m.hasFloatValue() ? m.getFloatValue() : null;
            case INT64 -> m.hasLongValue() ? m.getLongValue() : null;
            case INT32 -> m.hasIntValue() ? m.getIntValue() : null;
            case BOOL -> m.hasBoolValue() ? m.getBoolValue() : null;
            case STRING -> m.hasStringValue() ? m.getStringValue() : null;
            case BYTES -> m.hasBytesValue() ? m.getBytesValue().toByteArray() : null;
        };
        if (value == null) {
            throw new PayloadFormatException(what + " has no value for its type " + type.getNumber());
        }
        payload.addMetric(m.getName(), value);
    }

    private static KuraPosition fromProto(KuraPayloadProto.KuraPayload.KuraPosition p) {
        refuseGroups(p.getUnknownFields(), "position");
        for (Map.Entry<Integer, UnknownFieldSet.Field> e : p.getUnknownFields().asMap().entrySet()) {
            if (e.getKey() >= 1 && e.getKey() <= 9) {
                throw new PayloadFormatException("position field " + e.getKey() + " has the wrong wire type (" + wireTypes(e.getValue()) + ")");
            }
        }
        if (!p.hasLatitude() || !p.hasLongitude()) {
            throw new PayloadFormatException("position without latitude or longitude (both are required)");
        }
        KuraPosition pos = new KuraPosition();
        pos.setLatitude(p.getLatitude());
        pos.setLongitude(p.getLongitude());
        if (p.hasAltitude()) {
            pos.setAltitude(p.getAltitude());
        }
        if (p.hasPrecision()) {
            pos.setPrecision(p.getPrecision());
        }
        if (p.hasHeading()) {
            pos.setHeading(p.getHeading());
        }
        if (p.hasSpeed()) {
            pos.setSpeed(p.getSpeed());
        }
        if (p.hasTimestamp()) {
            pos.setTimestamp(new Date(p.getTimestamp()));
        }
        if (p.hasSatellites()) {
            pos.setSatellites(p.getSatellites());
        }
        if (p.hasStatus()) {
            pos.setStatus(p.getStatus());
        }
        return pos;
    }

    /** Groups (wire types 3 and 4) are deprecated and were never part of KuraPayload. */
    private static void refuseGroups(UnknownFieldSet unknown, String where) {
        for (Map.Entry<Integer, UnknownFieldSet.Field> e : unknown.asMap().entrySet()) {
            if (!e.getValue().getGroupList().isEmpty()) {
                throw new PayloadFormatException(where + " field " + e.getKey() + " has unsupported wire type 3 (group)");
            }
        }
    }

    private static String wireTypes(UnknownFieldSet.Field f) {
        StringBuilder sb = new StringBuilder();
        if (!f.getVarintList().isEmpty()) {
            sb.append("varint ");
        }
        if (!f.getFixed64List().isEmpty()) {
            sb.append("fixed64 ");
        }
        if (!f.getLengthDelimitedList().isEmpty()) {
            sb.append("length-delimited ");
        }
        if (!f.getFixed32List().isEmpty()) {
            sb.append("fixed32 ");
        }
        return sb.toString().trim();
    }
}

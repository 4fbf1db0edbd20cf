package io.edgetune.cloud.mqtt;

import io.edgetune.cloud.mqtt.codec.KuraPayloadCodec;
import io.edgetune.cloud.mqtt.codec.PayloadFormatException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.eclipse.kura.message.KuraPayload;
import org.eclipse.kura.message.KuraPosition;

/**
 * The inputs of the wire-format vectors in {@code kura-payload-vectors.txt}. The expected bytes in that
 * file were produced by {@link #main} with the hand-written codec that preceded the generated protobuf
 * code (its last version is in commit 867cacd); KuraPayloadVectorsTest holds every later codec to them
 * byte for byte. The file is that record: regenerating it with a later codec would hide a change of the
 * format. New inputs may be appended, with outcomes checked by hand against the protobuf encoding rules.
 */
final class KuraPayloadVectors {

    static final String RESOURCE = "kura-payload-vectors.txt";

    private KuraPayloadVectors() {
    }

    /** Payloads to encode, by name. */
    static Map<String, KuraPayload> payloads() {
        Map<String, KuraPayload> m = new LinkedHashMap<>();
        m.put("empty", new KuraPayload());
        m.put("timestamp", with(p -> p.setTimestamp(new Date(1_763_780_000_123L))));
        m.put("timestamp-negative", with(p -> p.setTimestamp(new Date(-1))));
        m.put("timestamp-zero", with(p -> p.setTimestamp(new Date(0))));
        m.put("double", with(p -> {
            p.addMetric("d", -2.5d);
            p.addMetric("zero", 0d);
            p.addMetric("negzero", -0d);
            p.addMetric("nan", Double.NaN);
            p.addMetric("inf", Double.NEGATIVE_INFINITY);
            p.addMetric("max", Double.MAX_VALUE);
            p.addMetric("tiny", Double.MIN_VALUE);
        }));
        m.put("float", with(p -> {
            p.addMetric("f", 0.25f);
            p.addMetric("nan", Float.NaN);
            p.addMetric("inf", Float.POSITIVE_INFINITY);
            p.addMetric("negzero", -0f);
        }));
        m.put("int64", with(p -> {
            p.addMetric("min", Long.MIN_VALUE);
            p.addMetric("max", Long.MAX_VALUE);
            p.addMetric("zero", 0L);
            p.addMetric("minus1", -1L);
            p.addMetric("big", 1L << 40);
        }));
        m.put("int32", with(p -> {
            p.addMetric("min", Integer.MIN_VALUE);
            p.addMetric("max", Integer.MAX_VALUE);
            p.addMetric("zero", 0);
            p.addMetric("minus1", -1);
            p.addMetric("300", 300);
        }));
        m.put("bool", with(p -> {
            p.addMetric("t", true);
            p.addMetric("f", false);
        }));
        m.put("string", with(p -> {
            p.addMetric("empty", "");
            p.addMetric("ascii", "hello");
            p.addMetric("utf8", "größe ✓ 😀");
            p.addMetric("unpaired-surrogate", "a\uD800b");
            p.addMetric("long", "x".repeat(300));
        }));
        m.put("bytes", with(p -> {
            p.addMetric("empty", new byte[0]);
            p.addMetric("some", new byte[] {0, 1, (byte) 0xff});
            p.addMetric("long", new byte[200]);
        }));
        m.put("metric-empty-name", with(p -> p.addMetric("", 1)));
        m.put("metric-unicode-name", with(p -> p.addMetric("größe✓", 1L)));
        m.put("position-minimal", with(p -> p.setPosition(position(46.5, 11.35))));
        m.put("position-full", with(p -> {
            KuraPosition pos = position(-33.8688, 151.2093);
            pos.setAltitude(58.25);
            pos.setPrecision(3.5);
            pos.setHeading(271.0);
            pos.setSpeed(12.75);
            pos.setTimestamp(new Date(1_763_780_000_000L));
            pos.setSatellites(11);
            pos.setStatus(-2);
            p.setPosition(pos);
        }));
        m.put("position-no-coordinates", with(p -> {
            KuraPosition pos = new KuraPosition();
            pos.setAltitude(10.0);
            pos.setSatellites(Integer.MIN_VALUE);
            p.setPosition(pos);
        }));
        m.put("body", with(p -> p.setBody("{\"k\":1}".getBytes())));
        m.put("body-empty", with(p -> p.setBody(new byte[0])));
        m.put("body-large", with(p -> {
            byte[] body = new byte[20_000];
            new Random(7).nextBytes(body);
            p.setBody(body);
        }));
        m.put("everything", with(p -> {
            p.setTimestamp(new Date(1_763_780_000_123L));
            p.addMetric("d", -2.5d);
            p.addMetric("f", 0.25f);
            p.addMetric("l", Long.MIN_VALUE);
            p.addMetric("i", Integer.MIN_VALUE);
            p.addMetric("b", true);
            p.addMetric("s", "größe ✓");
            p.addMetric("y", new byte[] {0, 1, (byte) 0xff});
            KuraPosition pos = position(46.5, 11.35);
            pos.setAltitude(262.0);
            pos.setSatellites(7);
            p.setPosition(pos);
            p.setBody("{\"k\":1}".getBytes());
        }));
        m.put("compressible", with(p -> {
            p.addMetric("n", 42L);
            p.setBody(new byte[10_000]);
        }));
        return m;
    }

    /** Byte strings to decode, by name: edge cases of the wire format. */
    static Map<String, String> decodeInputs() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("nothing", "");
        m.put("unknown-top-level-fields", "18 07 25 01020304 82 77 02 AABB 29 0102030405060708 08 05");
        m.put("unknown-metric-fields", "C2B802 15 0A0161 1003 30 05 50 07 59 0102030405060708 6A 01 FF");
        m.put("unknown-position-fields", "12 19 09 0000000000004740 11 0000000000002740 50 01 5D 01020304");
        m.put("extension-range-fields", "20 01 A2 01 02 0102 BA B8 02 00 08 09");
        m.put("timestamp-twice", "08 01 08 02");
        m.put("timestamp-wrong-wire-type", "09 0102030405060708");
        m.put("body-twice", "CAB802 01 61 CAB802 01 62");
        m.put("body-wrong-wire-type", "C8B802 05");
        m.put("position-wrong-wire-type", "10 05");
        m.put("metric-wrong-wire-type", "C0B802 05");
        m.put("metric-twice-same-name", "C2B802 07 0A0161 1003 3001 C2B802 07 0A0161 1003 3002");
        m.put("metric-name-twice", "C2B802 0A 0A0161 0A0162 1003 3001");
        m.put("metric-type-twice", "C2B802 0B 0A0161 1003 1002 3001 2803");
        m.put("metric-other-values-present", "C2B802 14 0A0161 1002 19 0000000000000440 3001 2807 3801");
        m.put("metric-int32-five-byte-negative", "C2B802 0B 0A0161 1003 30 FFFFFFFF0F");
        m.put("metric-int32-truncated-from-64-bits", "C2B802 0D 0A0161 1003 30 8180808010 3001");
        m.put("metric-type-wide-varint", "C2B802 0B 0A0161 10 8280808010 2809");
        m.put("metric-bool-nonzero", "C2B802 07 0A0161 1004 3805");
        m.put("metric-invalid-utf8", "C2B802 09 0A02 C3 28 1005 4201 FF");
        m.put("metric-value-before-name", "C2B802 07 2807 1002 0A0161");
        m.put("metric-without-name", "C2B802 04 1002 2807");
        m.put("metric-without-type", "C2B802 05 0A0161 2807");
        m.put("metric-without-value", "C2B802 05 0A0161 1002");
        m.put("metric-unknown-type", "C2B802 05 0A0161 1009");
        m.put("metric-negative-type", "C2B802 0E 0A0161 10 FFFFFFFFFFFFFFFFFF01");
        m.put("metric-name-wrong-wire-type", "C2B802 06 0861 1002 2807");
        m.put("metric-type-wrong-wire-type", "C2B802 08 0A0161 12 01 02 2807");
        m.put("metric-double-wrong-wire-type", "C2B802 07 0A0161 1000 18 05");
        m.put("metric-other-value-wrong-wire-type", "C2B802 09 0A0161 1002 18 05 2807");
        m.put("metric-string-wrong-wire-type", "C2B802 07 0A0161 1005 40 05");
        m.put("position-without-latitude", "12 09 11 0000000000002740");
        m.put("position-without-longitude", "12 09 09 0000000000004740");
        m.put("position-field-wrong-wire-type", "12 14 09 0000000000004740 11 0000000000002740 18 05");
        m.put("position-satellites-wrong-wire-type", "12 1B 09 0000000000004740 11 0000000000002740 41 0100000000000000");
        m.put("position-int32-five-byte-negative", "12 18 09 0000000000004740 11 0000000000002740 48 FFFFFFFF0F");
        m.put("position-twice", "12 1B 09 0000000000004740 11 0000000000002740 19 0000000000002440"
                + " 12 12 09 0000000000003E40 11 0000000000003F40");
        m.put("metric-unknown-type-then-valid", "C2B802 09 0A0161 1009 1002 2807");
        m.put("varint-ten-bytes-canonical", "08 FFFFFFFFFFFFFFFFFF01");
        m.put("varint-ten-bytes-last-even", "08 80808080808080808000");
        m.put("varint-ten-bytes-last-large", "08 FFFFFFFFFFFFFFFFFF7F");
        m.put("group-top-level", "0B 0C");
        m.put("group-with-content", "1B 08 01 1C 08 05");
        m.put("group-in-metric", "C2B802 09 0A0161 1002 2807 1B 1C");
        m.put("start-group-alone", "0B");
        m.put("end-group-alone", "0C");
        m.put("wire-type-6", "0E");
        m.put("wire-type-7", "0F 01");
        m.put("field-zero", "00");
        m.put("field-zero-in-metric", "C2B802 02 0001");
        m.put("varint-11-bytes", "08 FFFFFFFFFFFFFFFFFFFF01");
        m.put("varint-truncated", "08 80");
        m.put("tag-truncated", "C2B8");
        m.put("length-beyond-end", "C2B802 05 0A0161");
        m.put("body-length-beyond-end", "CAB802 05 61");
        m.put("name-length-beyond-metric", "C2B802 03 0A0561 08 01");
        m.put("negative-length", "CAB802 FFFFFFFFFFFFFFFFFF01");
        m.put("huge-length", "CAB802 FFFFFFFF07");
        m.put("fixed64-truncated", "19 01020304");
        m.put("fixed32-truncated", "1D 0102");
        m.put("gzip-header-only", "1F8B0800");
        m.put("gzip-magic-only", "1F8B");
        m.put("gzip-one-byte", "1F");
        m.put("gzip-of-garbage", gzipHex(HexFormat.of().parseHex("0B")));
        m.put("gzip-of-valid", gzipHex(HexFormat.of().parseHex("0801C2B802080A0161100330FF01")));
        m.put("gzip-of-empty", gzipHex(new byte[0]));
        m.put("gzip-truncated", gzipHex(HexFormat.of().parseHex("0801C2B802080A0161100330FF01")).substring(0, 30));
        return m;
    }

    /** A reproducible mix of random valid encodings (plain) whose decoding must encode back to them. */
    static byte[][] randomEncodings(int n) {
        Random rnd = new Random(20261201);
        byte[][] out = new byte[n][];
        for (int i = 0; i < n; i++) {
            out[i] = KuraPayloadCodec.encode(Payloads.random(rnd));
        }
        return out;
    }

    /** Mutated encodings (truncated, flipped, spliced) whose decoding outcome is part of the format. */
    static byte[][] mutatedEncodings(int n) {
        Random rnd = new Random(0xC0DEC);
        byte[][] out = new byte[n][];
        for (int i = 0; i < n; i++) {
            byte[] valid = KuraPayloadCodec.encode(Payloads.random(rnd));
            switch (i % 3) {
                case 0 -> out[i] = Arrays.copyOf(valid, valid.length == 0 ? 0 : rnd.nextInt(valid.length));
                case 1 -> out[i] = Payloads.flipBits(rnd, valid);
                default -> out[i] = Payloads.splice(rnd, valid);
            }
        }
        return out;
    }

    /** What decoding {@code input} gives: the re-encoding of the decoded payload, or {@code refused}. */
    static String decodeOutcome(byte[] input) {
        try {
            return hex(KuraPayloadCodec.encode(KuraPayloadCodec.decode(input)));
        } catch (PayloadFormatException e) {
            return "refused";
        }
    }

    static String hex(byte[] b) {
        return b.length == 0 ? "-" : HexFormat.of().formatHex(b);
    }

    static byte[] unhex(String s) {
        return s.equals("-") ? new byte[0] : HexFormat.of().parseHex(s.replace(" ", ""));
    }

    private static KuraPayload with(java.util.function.Consumer<KuraPayload> fill) {
        KuraPayload p = new KuraPayload();
        fill.accept(p);
        return p;
    }

    private static KuraPosition position(double lat, double lon) {
        KuraPosition pos = new KuraPosition();
        pos.setLatitude(lat);
        pos.setLongitude(lon);
        return pos;
    }

    private static String gzipHex(byte[] plain) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(plain);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return HexFormat.of().formatHex(out.toByteArray());
    }

    /** Prints the vectors file for the codec on the class path. */
    public static void main(String[] args) throws IOException {
        try (PrintStream out = new PrintStream(args.length > 0 ? new java.io.FileOutputStream(args[0]) : System.out, false, "UTF-8")) {
            out.println("# KuraPayload wire-format vectors, produced by the hand-written codec (see KuraPayloadVectors).");
            out.println("# encode NAME HEX: KuraPayloadCodec.encode(payload); gzip NAME HEX: encode(payload, 0);");
            out.println("# decode NAME INPUT OUTCOME: re-encoding of decode(INPUT), or refused; random HEX: decodes and encodes back to itself.");
            for (Map.Entry<String, KuraPayload> e : payloads().entrySet()) {
                out.println("encode " + e.getKey() + " " + hex(KuraPayloadCodec.encode(e.getValue())));
            }
            for (String name : new String[] {"empty", "everything", "compressible", "body-large"}) {
                out.println("gzip " + name + " " + hex(KuraPayloadCodec.encode(payloads().get(name), 0)));
            }
            for (Map.Entry<String, String> e : decodeInputs().entrySet()) {
                byte[] in = unhex(e.getValue());
                out.println("decode " + e.getKey() + " " + hex(in) + " " + decodeOutcome(in));
            }
            byte[] everything = KuraPayloadCodec.encode(payloads().get("everything"));
            for (int n = 0; n < everything.length; n++) {
                byte[] in = Arrays.copyOf(everything, n);
                out.println("decode prefix-" + n + " " + hex(in) + " " + decodeOutcome(in));
            }
            byte[][] mutated = mutatedEncodings(300);
            for (int i = 0; i < mutated.length; i++) {
                out.println("decode mutated-" + i + " " + hex(mutated[i]) + " " + decodeOutcome(mutated[i]));
            }
            for (byte[] r : randomEncodings(100)) {
                out.println("random " + hex(r));
            }
        }
    }
}

package io.edgetune.cloud.mqtt;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.edgetune.cloud.mqtt.codec.KuraPayloadCodec;
import io.edgetune.cloud.mqtt.codec.PayloadFormatException;
import java.io.ByteArrayOutputStream;
import java.util.Date;
import java.util.HexFormat;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.eclipse.kura.message.KuraPayload;
import org.junit.Test;

public class KuraPayloadCodecTest {

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    /** Bytes worked out by hand from the proto2 rules: field 5000 key is varint 40002 = C2 B8 02. */
    @Test
    public void encodesTheDocumentedWireFormat() {
        KuraPayload p = new KuraPayload();
        p.setTimestamp(new Date(1));
        p.addMetric("a", -1);
        p.setBody(new byte[] {'x'});
        byte[] expected = hex("08 01" + " C2B802 10 0A0161 1003 30FFFFFFFFFFFFFFFFFF01" + " CAB802 01 78");
        assertArrayEquals(expected, KuraPayloadCodec.encode(p));
        KuraPayload back = KuraPayloadCodec.decode(expected);
        assertEquals(-1, back.getMetric("a"));
        assertEquals(1L, back.getTimestamp().getTime());
        assertArrayEquals(new byte[] {'x'}, back.getBody());
    }

    @Test
    public void everyMetricTypeRoundTrips() {
        // every metric type, a position, a body and a timestamp
        KuraPayload p = KuraPayloadVectors.payloads().get("everything");
        KuraPayload back = KuraPayloadCodec.decode(KuraPayloadCodec.encode(p));
        Payloads.assertSame(p, back);
        assertEquals(Double.class, back.getMetric("d").getClass());
        assertEquals(Float.class, back.getMetric("f").getClass());
        assertEquals(Long.class, back.getMetric("l").getClass());
        assertEquals(Integer.class, back.getMetric("i").getClass());
        assertNull(back.getPosition().getHeading());
    }

    @Test
    public void gzippedPayloadsAreAccepted() throws Exception {
        KuraPayload p = new KuraPayload();
        p.addMetric("n", 42L);
        p.setBody(new byte[10_000]);
        byte[] zipped = KuraPayloadCodec.encode(p, 100);
        assertTrue(KuraPayloadCodec.isGzip(zipped));
        assertTrue("compressed " + zipped.length, zipped.length < 1000);
        Payloads.assertSame(p, KuraPayloadCodec.decode(zipped));
        // below the threshold: plain
        assertTrue(!KuraPayloadCodec.isGzip(KuraPayloadCodec.encode(p, 1 << 20)));
    }

    @Test
    public void gzipBombsAreRefused() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(new byte[2 * 1024 * 1024]);
        }
        PayloadFormatException e = assertThrows(PayloadFormatException.class,
                () -> KuraPayloadCodec.decode(out.toByteArray(), 1024 * 1024));
        assertTrue(e.getMessage(), e.getMessage().contains("inflates beyond"));
    }

    @Test
    public void unknownFieldsAreSkipped() {
        // field 3 (varint 7), field 4 (fixed32), field 6000 (bytes) then timestamp 5
        byte[] bytes = hex("18 07" + " 25 01020304" + " 82 77 02 AA BB" + " 08 05");
        assertEquals(5L, KuraPayloadCodec.decode(bytes).getTimestamp().getTime());
    }

    @Test
    public void malformedInputsAreReportedClearly() {
        String[][] cases = {
                {"08", "ended unexpectedly"},
                {"C2B802 05 0A0161", "ended unexpectedly"},
                {"C2B802 02 1003", "without a name"},
                {"C2B802 05 0A0161 1009", "unknown type 9"},
                {"C2B802 05 0A0161 1003", "no value"},
                {"C2B802 03 0A0161", "no type"},
                {"0B", "group"},
                {"0B 0C", "unsupported wire type 3 (group)"},
                {"C2B802 07 0A0161 1000 1805", "field 3 has the wrong wire type"},
                {"00", "invalid tag (zero)"},
                {"1F8B0800", "corrupt gzip"},
                {"FFFFFFFFFFFFFFFFFFFF01", "malformed varint"},
        };
        for (String[] c : cases) {
            PayloadFormatException e = assertThrows(c[0], PayloadFormatException.class, () -> KuraPayloadCodec.decode(hex(c[0])));
            assertTrue(c[0] + " -> " + e.getMessage(), e.getMessage().contains(c[1]));
        }
    }

    @Test
    public void unsupportedMetricTypesAreRefusedOnEncode() {
        KuraPayload p = new KuraPayload();
        p.addMetric("when", new Date());
        PayloadFormatException e = assertThrows(PayloadFormatException.class, () -> KuraPayloadCodec.encode(p));
        assertTrue(e.getMessage(), e.getMessage().contains("'when'"));
    }

    @Test
    public void randomPayloadsRoundTrip() {
        Random rnd = new Random(20261122);
        for (int i = 0; i < 5000; i++) {
            KuraPayload p = Payloads.random(rnd);
            byte[] bytes = KuraPayloadCodec.encode(p, rnd.nextBoolean() ? -1 : 0);
            Payloads.assertSame(p, KuraPayloadCodec.decode(bytes));
        }
    }
}

package io.edgetune.cloud.mqtt;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.edgetune.cloud.mqtt.codec.KuraPayloadCodec;
import io.edgetune.cloud.mqtt.codec.PayloadFormatException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.kura.message.KuraPayload;
import org.junit.Test;

/** The codec against the vectors recorded from the hand-written codec it replaced: same bytes, same decodings. */
public class KuraPayloadVectorsTest {

    /**
     * Malformed inputs that protobuf-java (the parser Kura itself uses) reads otherwise than the
     * hand-written codec did, with what it reads. Everything else decodes exactly as before.
     */
    private static final Map<String, String> PROTOBUF_READS_OTHERWISE = Map.of(
            // a message field that occurs twice is merged, not replaced: the first altitude stays
            "position-twice", "121b090000000000003e40110000000000003f40190000000000002440",
            // the type field twice, an unknown number first: which came last is not kept, so refused
            "metric-unknown-type-then-valid", "refused",
            // the value bits of a tenth varint byte are not read; bit 63 is set whenever it is there
            "varint-ten-bytes-last-even", "0880808080808080808001",
            "mutated-101", "08978dd082f589cccdf701");

    private static List<String[]> vectors(String kind) throws IOException {
        List<String[]> out = new ArrayList<>();
        try (InputStream in = KuraPayloadVectorsTest.class.getResourceAsStream(KuraPayloadVectors.RESOURCE);
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null;) {
                String[] f = line.split(" ");
                if (f[0].equals(kind)) {
                    out.add(f);
                }
            }
        }
        assertTrue("no " + kind + " vectors", !out.isEmpty());
        return out;
    }

    @Test
    public void encodesEveryPayloadToTheRecordedBytes() throws IOException {
        Map<String, KuraPayload> payloads = KuraPayloadVectors.payloads();
        List<String[]> encoded = vectors("encode");
        assertEquals(payloads.size(), encoded.size());
        for (String[] v : encoded) {
            KuraPayload p = payloads.get(v[1]);
            assertEquals(v[1], v[2], KuraPayloadVectors.hex(KuraPayloadCodec.encode(p)));
            // the recorded bytes decode to a payload that encodes to them again
            assertEquals(v[1], v[2], KuraPayloadVectors.hex(KuraPayloadCodec.encode(KuraPayloadCodec.decode(KuraPayloadVectors.unhex(v[2])))));
        }
    }

    @Test
    public void gzipsToTheRecordedBytes() throws IOException {
        Map<String, KuraPayload> payloads = KuraPayloadVectors.payloads();
        for (String[] v : vectors("gzip")) {
            KuraPayload p = payloads.get(v[1]);
            byte[] zipped = KuraPayloadCodec.encode(p, 0);
            assertEquals(v[1], v[2], KuraPayloadVectors.hex(zipped));
            Payloads.assertSame(p, KuraPayloadCodec.decode(zipped));
            // one byte over the plain size: not compressed
            byte[] plain = KuraPayloadCodec.encode(p);
            assertEquals(v[1], KuraPayloadVectors.hex(plain), KuraPayloadVectors.hex(KuraPayloadCodec.encode(p, plain.length + 1)));
        }
    }

    @Test
    public void decodesEveryRecordedInputAsBefore() throws IOException {
        int refused = 0;
        for (String[] v : vectors("decode")) {
            byte[] input = KuraPayloadVectors.unhex(v[2]);
            String outcome = KuraPayloadVectors.decodeOutcome(input);
            assertEquals(v[1] + " " + v[2], PROTOBUF_READS_OTHERWISE.getOrDefault(v[1], v[3]), outcome);
            if (outcome.equals("refused")) {
                PayloadFormatException e = assertThrows(PayloadFormatException.class, () -> KuraPayloadCodec.decode(input));
                assertTrue(v[1] + ": " + e.getMessage(), e.getMessage() != null && !e.getMessage().isBlank());
                refused++;
            }
        }
        assertTrue("refusals recorded: " + refused, refused > 100);
        for (String name : PROTOBUF_READS_OTHERWISE.keySet()) {
            assertTrue(name + " is a recorded vector", vectors("decode").stream().anyMatch(v -> v[1].equals(name)));
        }
    }

    @Test
    public void randomEncodingsDecodeAndEncodeBackToThemselves() throws IOException {
        for (String[] v : vectors("random")) {
            assertEquals(v[1], KuraPayloadVectors.hex(KuraPayloadCodec.encode(KuraPayloadCodec.decode(KuraPayloadVectors.unhex(v[1])))));
        }
    }

    @Test
    public void oversizeInflationIsRefusedClearly() throws IOException {
        byte[] zipped = KuraPayloadVectors.unhex(vectors("gzip").stream().filter(v -> v[1].equals("compressible")).findFirst().get()[2]);
        int plainSize = KuraPayloadCodec.encode(KuraPayloadVectors.payloads().get("compressible")).length;
        PayloadFormatException e = assertThrows(PayloadFormatException.class, () -> KuraPayloadCodec.decode(zipped, plainSize - 1));
        assertTrue(e.getMessage(), e.getMessage().contains("inflates beyond " + (plainSize - 1) + " bytes"));
        assertEquals(plainSize, KuraPayloadCodec.encode(KuraPayloadCodec.decode(zipped, plainSize)).length);
    }
}

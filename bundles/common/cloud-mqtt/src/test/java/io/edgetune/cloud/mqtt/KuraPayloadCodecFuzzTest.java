package io.edgetune.cloud.mqtt;

import static org.junit.Assert.assertTrue;

import io.edgetune.cloud.mqtt.codec.KuraPayloadCodec;
import io.edgetune.cloud.mqtt.codec.PayloadFormatException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.eclipse.kura.message.KuraPayload;
import org.junit.Test;

/**
 * Property: whatever the bytes, decode either returns a payload that encodes
 * and decodes to itself, or throws PayloadFormatException. Nothing else.
 */
public class KuraPayloadCodecFuzzTest {

    private static final int ITERATIONS = 60_000;

    @Test
    public void arbitraryBytesNeverCauseUnexpectedExceptions() {
        Random rnd = new Random(0xED6E);
        int decoded = 0, refused = 0;
        int valid = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            if (i % 5 == 4) {
                // a valid encoding (plain or gzipped) must decode, to the payload that was encoded
                KuraPayload original = Payloads.random(rnd);
                byte[] encoded = KuraPayloadCodec.encode(original, rnd.nextBoolean() ? 0 : -1);
                try {
                    Payloads.assertSame(original, KuraPayloadCodec.decode(encoded, 1 << 20));
                } catch (PayloadFormatException e) {
                    throw new AssertionError("iteration " + i + ": a valid encoding was refused: "
                            + HexFormat.of().formatHex(encoded), e);
                }
                valid++;
                continue;
            }
            byte[] input = mutate(rnd, i);
            try {
                KuraPayload p = KuraPayloadCodec.decode(input, 1 << 20);
                Payloads.assertSame(p, KuraPayloadCodec.decode(KuraPayloadCodec.encode(p)));
                decoded++;
            } catch (PayloadFormatException expected) {
                assertTrue(expected.getMessage() != null && !expected.getMessage().isEmpty());
                refused++;
            } catch (RuntimeException | Error e) {
                throw new AssertionError("iteration " + i + " input " + HexFormat.of().formatHex(input), e);
            }
        }
        System.out.printf("KuraPayload fuzz: %d inputs, %d valid encodings decoded to themselves, %d mutated decoded, "
                + "%d refused with PayloadFormatException%n", ITERATIONS, valid, decoded, refused);
        assertTrue("some mutated inputs must still decode", decoded > ITERATIONS / 20);
        assertTrue("some mutated inputs must be refused", refused > ITERATIONS / 20);
    }

    private static byte[] mutate(Random rnd, int i) {
        switch (i % 5) {
            case 0:
                return Payloads.bytes(rnd, rnd.nextInt(64));
            case 1: { // truncated valid encoding
                byte[] valid = KuraPayloadCodec.encode(Payloads.random(rnd), rnd.nextInt(3) == 0 ? 0 : -1);
                return Arrays.copyOf(valid, valid.length == 0 ? 0 : rnd.nextInt(valid.length));
            }
            case 2: // bit flips
                return Payloads.flipBits(rnd, KuraPayloadCodec.encode(Payloads.random(rnd)));
            case 3: // random bytes spliced into a valid encoding
                return Payloads.splice(rnd, KuraPayloadCodec.encode(Payloads.random(rnd)));
            default: // valid, must decode
                return KuraPayloadCodec.encode(Payloads.random(rnd), rnd.nextBoolean() ? 0 : -1);
        }
    }
}

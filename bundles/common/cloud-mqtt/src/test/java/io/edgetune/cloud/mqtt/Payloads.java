package io.edgetune.cloud.mqtt;

import java.util.Arrays;
import java.util.Date;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.eclipse.kura.message.KuraPayload;
import org.eclipse.kura.message.KuraPosition;

/** Random payloads and deep equality for the codec tests. */
final class Payloads {

    private Payloads() {
    }

    static KuraPayload random(Random rnd) {
        KuraPayload p = new KuraPayload();
        if (rnd.nextBoolean()) {
            p.setTimestamp(new Date(rnd.nextLong()));
        }
        if (rnd.nextInt(4) == 0) {
            KuraPosition pos = new KuraPosition();
            pos.setLatitude(rnd.nextDouble() * 180 - 90);
            pos.setLongitude(rnd.nextDouble() * 360 - 180);
            if (rnd.nextBoolean()) {
                pos.setAltitude(rnd.nextGaussian() * 100);
            }
            if (rnd.nextBoolean()) {
                pos.setSpeed(rnd.nextDouble());
            }
            if (rnd.nextBoolean()) {
                pos.setTimestamp(new Date(rnd.nextLong()));
            }
            if (rnd.nextBoolean()) {
                pos.setSatellites(rnd.nextInt());
            }
            if (rnd.nextBoolean()) {
                pos.setStatus(rnd.nextInt(5) - 2);
            }
            p.setPosition(pos);
        }
        int metrics = rnd.nextInt(8);
        for (int i = 0; i < metrics; i++) {
            String name = "m" + i + (rnd.nextBoolean() ? "ü€" : "");
            Object value = switch (rnd.nextInt(7)) {
                case 0 -> rnd.nextDouble() * 1e6 - 5e5;
                case 1 -> rnd.nextFloat() - 0.5f;
                case 2 -> rnd.nextLong();
                case 3 -> rnd.nextInt();
                case 4 -> rnd.nextBoolean();
                case 5 -> "v" + rnd.nextInt() + (rnd.nextBoolean() ? "" : " ✓");
                default -> bytes(rnd, rnd.nextInt(40));
            };
            p.addMetric(name, value);
        }
        if (rnd.nextBoolean()) {
            p.setBody(bytes(rnd, rnd.nextInt(200)));
        }
        return p;
    }

    static byte[] bytes(Random rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    /** Flips one to three random bits of {@code b} in place, and returns it. */
    static byte[] flipBits(Random rnd, byte[] b) {
        for (int k = 0, n = 1 + rnd.nextInt(3); k < n && b.length > 0; k++) {
            b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
        }
        return b;
    }

    /** {@code b} with one to six random bytes inserted at a random place. */
    static byte[] splice(Random rnd, byte[] b) {
        int at = b.length == 0 ? 0 : rnd.nextInt(b.length);
        byte[] junk = bytes(rnd, 1 + rnd.nextInt(6));
        byte[] out = new byte[b.length + junk.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(junk, 0, out, at, junk.length);
        System.arraycopy(b, at, out, at + junk.length, b.length - at);
        return out;
    }

    static void assertSame(KuraPayload expected, KuraPayload actual) {
        if (!Objects.equals(expected.getTimestamp(), actual.getTimestamp())) {
            throw new AssertionError("timestamp " + expected.getTimestamp() + " != " + actual.getTimestamp());
        }
        Map<String, Object> e = expected.metrics();
        Map<String, Object> a = actual.metrics();
        if (!e.keySet().equals(a.keySet())) {
            throw new AssertionError("metric names " + e.keySet() + " != " + a.keySet());
        }
        for (String k : e.keySet()) {
            Object ev = e.get(k);
            Object av = a.get(k);
            boolean same = ev instanceof byte[] eb ? av instanceof byte[] ab && Arrays.equals(eb, ab) : ev.equals(av);
            if (!same) {
                throw new AssertionError("metric " + k + ": " + ev + " (" + ev.getClass().getSimpleName() + ") != " + av
                        + " (" + (av == null ? "null" : av.getClass().getSimpleName()) + ")");
            }
        }
        if (!Arrays.equals(expected.getBody(), actual.getBody())) {
            throw new AssertionError("body differs");
        }
        KuraPosition ep = expected.getPosition();
        KuraPosition ap = actual.getPosition();
        if ((ep == null) != (ap == null)) {
            throw new AssertionError("position presence differs");
        }
        if (ep != null) {
            if (!Objects.equals(ep.getLatitude(), ap.getLatitude()) || !Objects.equals(ep.getLongitude(), ap.getLongitude())
                    || !Objects.equals(ep.getAltitude(), ap.getAltitude()) || !Objects.equals(ep.getSpeed(), ap.getSpeed())
                    || !Objects.equals(ep.getTimestamp(), ap.getTimestamp()) || !Objects.equals(ep.getSatellites(), ap.getSatellites())
                    || !Objects.equals(ep.getStatus(), ap.getStatus())) {
                throw new AssertionError("position differs");
            }
        }
    }
}

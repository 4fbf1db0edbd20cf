package io.edgetune.commands;

import static org.junit.Assert.assertTrue;

import io.edgetune.commands.internal.CommandException;
import io.edgetune.commands.internal.CommandParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.eclipse.kura.message.KuraPayload;
import org.junit.Test;

/** Property: any verb, resource list and payload gives a Command or a 400/404 CommandException, nothing else. */
public class CommandParserFuzzTest {

    private static final String[] VERBS = {"GET", "PUT", "POST", "DEL", "EXEC", "get", "", "FETCH"};
    private static final String[] WORDS = {"status", "models", "install", "activate", "rollback", "cameras", "snapshot",
            "reset", "samples", "now", "c1", "", "..", ".", "v1", "ü", "a/b", "+", "#", "\u0000", "x".repeat(300)};

    @Test
    public void randomRequestsNeverCauseUnexpectedExceptions() {
        Random rnd = new Random(42);
        int accepted = 0, badRequest = 0, notFound = 0;
        int iterations = 50_000;
        for (int i = 0; i < iterations; i++) {
            String verb = rnd.nextInt(20) == 0 ? null : VERBS[rnd.nextInt(VERBS.length)];
            List<String> resources = rnd.nextInt(30) == 0 ? null : new ArrayList<>();
            if (resources != null) {
                for (int k = 0, n = rnd.nextInt(5); k < n; k++) {
                    resources.add(rnd.nextInt(10) == 0 ? randomString(rnd) : rnd.nextInt(50) == 0 ? null : WORDS[rnd.nextInt(WORDS.length)]);
                }
            }
            KuraPayload payload = rnd.nextInt(4) == 0 ? null : randomPayload(rnd);
            try {
                CommandParser.parse(verb, resources, payload);
                accepted++;
            } catch (CommandException e) {
                assertTrue("code " + e.code(), e.code() == 400 || e.code() == 404);
                assertTrue(e.getMessage() != null && !e.getMessage().isEmpty());
                if (e.code() == 400) {
                    badRequest++;
                } else {
                    notFound++;
                }
            } catch (RuntimeException e) {
                throw new AssertionError("iteration " + i + ": " + verb + " " + resources, e);
            }
        }
        System.out.printf("Command parser fuzz: %d requests, %d accepted, %d x 400, %d x 404%n",
                iterations, accepted, badRequest, notFound);
        assertTrue(accepted > 0 && badRequest > 0 && notFound > 0);
    }

    private static String randomString(Random rnd) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0, n = rnd.nextInt(12); i < n; i++) {
            sb.append((char) rnd.nextInt(0x3000));
        }
        return sb.toString();
    }

    private static KuraPayload randomPayload(Random rnd) {
        KuraPayload p = new KuraPayload();
        String[] names = {"version", "activate", "camera.id", "other"};
        for (int i = 0, n = rnd.nextInt(4); i < n; i++) {
            Object v = switch (rnd.nextInt(6)) {
                case 0 -> WORDS[rnd.nextInt(WORDS.length)];
                case 1 -> rnd.nextBoolean();
                case 2 -> rnd.nextLong();
                case 3 -> rnd.nextInt();
                case 4 -> randomString(rnd);
                default -> new byte[rnd.nextInt(4)];
            };
            p.addMetric(names[rnd.nextInt(names.length)], v);
        }
        if (rnd.nextBoolean()) {
            byte[] body = new byte[rnd.nextInt(8)];
            rnd.nextBytes(body);
            p.setBody(body);
        }
        return p;
    }
}

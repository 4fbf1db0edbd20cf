package io.edgetune.commands;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.edgetune.commands.internal.Command;
import io.edgetune.commands.internal.Command.Kind;
import io.edgetune.commands.internal.CommandException;
import io.edgetune.commands.internal.CommandParser;
import java.util.Arrays;
import java.util.List;
import org.eclipse.kura.message.KuraPayload;
import org.junit.Test;

public class CommandParserTest {

    private static Command ok(String verb, String path, KuraPayload p) throws CommandException {
        return CommandParser.parse(verb, Arrays.asList(path.split("/", -1)), p);
    }

    private static void refused(int code, String contains, String verb, String path, KuraPayload p) {
        try {
            Command c = CommandParser.parse(verb, path.isEmpty() ? List.of() : Arrays.asList(path.split("/", -1)), p);
            fail(verb + " " + path + " should be refused, got " + c);
        } catch (CommandException e) {
            assertEquals(verb + " " + path + ": " + e.getMessage(), code, e.code());
            assertTrue(verb + " " + path + ": " + e.getMessage(), e.getMessage().contains(contains));
        }
    }

    private static KuraPayload metric(String name, Object value) {
        KuraPayload p = new KuraPayload();
        p.addMetric(name, value);
        return p;
    }

    @Test
    public void everyDocumentedResourceParses() throws Exception {
        assertEquals(Kind.STATUS, ok("GET", "status", null).kind());
        assertEquals(Kind.MODELS, ok("GET", "models", null).kind());

        KuraPayload pkg = metric("activate", true);
        pkg.setBody(new byte[] {1, 2, 3});
        Command install = ok("POST", "models/install", pkg);
        assertEquals(Kind.MODEL_INSTALL, install.kind());
        assertArrayEquals(new byte[] {1, 2, 3}, install.modelPackage());
        assertTrue(install.activate());
        KuraPayload plain = new KuraPayload();
        plain.setBody(new byte[] {9});
        assertFalse(ok("EXEC", "models/install", plain).activate());

        assertEquals("v7", ok("EXEC", "models/activate/v7", null).version());
        assertEquals("2026.11.22-a", ok("POST", "models/activate", metric("version", "2026.11.22-a")).version());
        assertEquals(Kind.MODEL_ROLLBACK, ok("POST", "models/rollback", null).kind());
        assertEquals(Kind.MODEL_ROLLBACK, ok("EXEC", "models/rollback", null).kind());

        Command snap = ok("GET", "cameras/front-door/snapshot", null);
        assertEquals(Kind.CAMERA_SNAPSHOT, snap.kind());
        assertEquals("front-door", snap.cameraId());
        assertEquals("cam 2", ok("EXEC", "cameras/cam 2/reset", null).cameraId());

        assertNull(ok("EXEC", "samples/now", null).cameraId());
        assertEquals("c1", ok("EXEC", "samples/now", metric("camera.id", "c1")).cameraId());
    }

    @Test
    public void unknownResourcesAre404() {
        refused(404, "unknown resource 'config'", "GET", "config", null);
        refused(404, "unknown resource status/x", "GET", "status/x", null);
        refused(404, "cameras/{id}/snapshot", "GET", "cameras/c1", null);
        refused(404, "'zoom'", "GET", "cameras/c1/zoom", null);
        refused(404, "'delete'", "POST", "models/delete", null);
        refused(404, "samples/now", "EXEC", "samples/later", null);
        refused(404, "unknown resource", "POST", "models/activate/v1/extra", null);
    }

    @Test
    public void malformedRequestsAre400() {
        refused(400, "missing resource", "GET", "", null);
        refused(400, "empty resource level", "GET", "cameras//snapshot", null);
        refused(400, "POST is not allowed on status", "POST", "status", null);
        refused(400, "use GET", "EXEC", "cameras/c1/snapshot", null);
        refused(400, "use EXEC", "GET", "cameras/c1/reset", null);
        refused(400, "payload body", "POST", "models/install", new KuraPayload());
        refused(400, "payload body", "POST", "models/install", null);
        KuraPayload badActivate = metric("activate", "yes");
        badActivate.setBody(new byte[] {1});
        refused(400, "activate must be a boolean", "POST", "models/install", badActivate);
        refused(400, "needs a version", "POST", "models/activate", null);
        refused(400, "must be a string", "POST", "models/activate", metric("version", 3));
        refused(400, "model version is empty", "POST", "models/activate", metric("version", " "));
        refused(400, "forbidden character", "POST", "models/activate", metric("version", "../../etc/passwd"));
        refused(400, "'.' or '..'", "POST", "models/activate/..", null);
        refused(400, "longer than", "EXEC", "cameras/" + "x".repeat(200) + "/reset", null);
        refused(400, "camera.id must be a string", "EXEC", "samples/now", metric("camera.id", 1L));
        refused(400, "DEL is not allowed", "DEL", "models", null);
    }
}

package io.edgetune.commands;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.edgetune.commands.internal.Command;
import io.edgetune.commands.internal.CommandException;
import io.edgetune.commands.internal.CommandParser;
import java.util.List;
import org.eclipse.kura.message.KuraPayload;
import org.junit.Test;

/** models/upload/... and models/install with a URL: what is accepted and what is a 400. */
public class ModelDeliveryParserTest {

    private static final String SHA = "a".repeat(64);

    private static KuraPayload chunk(Object offset, Object total) {
        KuraPayload p = new KuraPayload();
        if (offset != null) {
            p.addMetric("offset", offset);
        }
        if (total != null) {
            p.addMetric("total.size", total);
        }
        p.addMetric("sha256", SHA);
        p.addMetric("chunk.sha256", SHA.toUpperCase());
        p.setBody(new byte[16]);
        return p;
    }

    private static String refused(int code, String verb, KuraPayload p, String... resources) {
        try {
            CommandParser.parse(verb, List.of(resources), p);
            fail("accepted " + verb + " " + List.of(resources));
            return null;
        } catch (CommandException e) {
            assertEquals(e.getMessage(), code, e.code());
            return e.getMessage();
        }
    }

    @Test
    public void wellFormedUploadRequestsParse() throws Exception {
        Command c = CommandParser.parse("POST", List.of("models", "upload", "pkg-1.a_b"), chunk(32L, 100L));
        assertEquals(Command.Kind.MODEL_UPLOAD_CHUNK, c.kind());
        assertEquals(32, c.transfer().offset());
        assertEquals(100, c.transfer().totalSize());
        assertEquals(SHA, c.transfer().chunkSha256());  // normalised to lower case
        assertEquals(Command.Kind.MODEL_UPLOAD_CHUNK, CommandParser.parse("POST", List.of("models", "upload", "x"), chunk(0, 16)).kind());
        assertEquals(Command.Kind.MODEL_UPLOAD_STATUS, CommandParser.parse("GET", List.of("models", "upload", "x"), null).kind());
        assertEquals(Command.Kind.MODEL_UPLOAD_ABORT, CommandParser.parse("DEL", List.of("models", "upload", "x"), null).kind());
        KuraPayload act = new KuraPayload();
        act.addMetric("activate", true);
        Command commit = CommandParser.parse("EXEC", List.of("models", "upload", "x", "commit"), act);
        assertEquals(Command.Kind.MODEL_UPLOAD_COMMIT, commit.kind());
        assertTrue(commit.activate());
        KuraPayload url = new KuraPayload();
        url.addMetric("url", "https://models.example.com/p/v2.zip?t=1");
        url.addMetric("sha256", SHA);
        Command u = CommandParser.parse("POST", List.of("models", "install"), url);
        assertEquals(Command.Kind.MODEL_INSTALL_URL, u.kind());
        assertEquals("https://models.example.com/p/v2.zip?t=1", u.transfer().url());
    }

    @Test
    public void malformedUploadRequestsAre400() {
        assertTrue(refused(400, "POST", chunk(-1L, 100L), "models", "upload", "x").contains("negative"));
        assertTrue(refused(400, "POST", chunk(null, 100L), "models", "upload", "x").contains("missing metric offset"));
        assertTrue(refused(400, "POST", chunk(0L, null), "models", "upload", "x").contains("missing metric total.size"));
        refused(400, "POST", chunk(0L, 0L), "models", "upload", "x");
        refused(400, "POST", chunk("0", 100L), "models", "upload", "x");
        refused(400, "POST", chunk(1.5, 100L), "models", "upload", "x");
        assertTrue(refused(400, "POST", chunk(90L, 100L), "models", "upload", "x").contains("beyond"));
        KuraPayload noBody = chunk(0L, 100L);
        noBody.setBody(null);
        refused(400, "POST", noBody, "models", "upload", "x");
        KuraPayload badSha = chunk(0L, 100L);
        badSha.addMetric("chunk.sha256", "xyz");
        refused(400, "POST", badSha, "models", "upload", "x");
        KuraPayload noSha = new KuraPayload();
        noSha.addMetric("offset", 0L);
        noSha.addMetric("total.size", 10L);
        noSha.setBody(new byte[1]);
        assertTrue(refused(400, "POST", noSha, "models", "upload", "x").contains("sha256"));
        refused(400, "POST", null, "models", "upload", "x");
        // ids become file names
        for (String id : new String[] {"a/b", "..", ".hidden", "a b", "a\\b", "ü", "x".repeat(65), "a+b", "a#"}) {
            refused(400, "GET", null, "models", "upload", id);
        }
        refused(400, "PUT", null, "models", "upload", "x");
        refused(400, "GET", null, "models", "upload", "x", "commit");
        KuraPayload notBool = new KuraPayload();
        notBool.addMetric("activate", "yes");
        refused(400, "EXEC", notBool, "models", "upload", "x", "commit");
        refused(404, "GET", null, "models", "upload");
        refused(404, "EXEC", null, "models", "upload", "x", "finish");
    }

    @Test
    public void malformedUrlInstallsAre400() {
        KuraPayload ftp = new KuraPayload();
        ftp.addMetric("url", "ftp://host/p.zip");
        ftp.addMetric("sha256", SHA);
        assertTrue(refused(400, "POST", ftp, "models", "install").contains("http or https"));
        KuraPayload noSha = new KuraPayload();
        noSha.addMetric("url", "http://host/p.zip");
        refused(400, "POST", noSha, "models", "install");
        KuraPayload both = new KuraPayload();
        both.addMetric("url", "http://host/p.zip");
        both.addMetric("sha256", SHA);
        both.setBody(new byte[3]);
        refused(400, "POST", both, "models", "install");
        KuraPayload noHost = new KuraPayload();
        noHost.addMetric("url", "http:///p.zip");
        noHost.addMetric("sha256", SHA);
        refused(400, "POST", noHost, "models", "install");
        KuraPayload junk = new KuraPayload();
        junk.addMetric("url", "http://ho st/");
        junk.addMetric("sha256", SHA);
        refused(400, "POST", junk, "models", "install");
    }
}

package io.edgetune.commands.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import com.sun.net.httpserver.HttpServer;
import io.edgetune.modelpackage.PackageLayout;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Executors;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** URL downloads from a real local HTTP server: the first 2 MiB of the real model as the package. */
public class ModelDownloaderTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private HttpServer server;
    private byte[] pkg;
    private String base;

    @Before
    public void setUp() throws Exception {
        Path assets = Path.of(System.getProperty("edgetune.assets", System.getProperty("user.home") + "/.cache/edgetune"));
        pkg = Arrays.copyOf(Files.readAllBytes(assets.resolve("ssd_mobilenetv2_oidv4_fp16.tflite")), 2 << 20);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext("/pkg.zip", x -> {
            x.sendResponseHeaders(200, pkg.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(pkg);
            }
        });
        server.createContext("/chunked.zip", x -> {
            x.sendResponseHeaders(200, 0); // no Content-Length: the limit is enforced while reading
            try (OutputStream out = x.getResponseBody()) {
                out.write(pkg);
            }
        });
        server.createContext("/stall.zip", x -> {
            x.sendResponseHeaders(200, pkg.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(pkg, 0, 1000);
                out.flush();
                Thread.sleep(3000);
            } catch (InterruptedException | java.io.IOException ignored) {
                // the client gave up
            }
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @After
    public void tearDown() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }

    private CommandException refusal(ModelDownloader d, String url, String sha) throws Exception {
        try {
            d.download(url, sha, tmp.newFile().toPath());
            fail("downloaded " + url);
            return null;
        } catch (CommandException e) {
            return e;
        }
    }

    @Test
    public void downloadsAndChecksTheHash() throws Exception {
        Path target = tmp.getRoot().toPath().resolve("p.zip");
        assertEquals(pkg.length, new ModelDownloader(30_000, 4 << 20).download(base + "/pkg.zip", PackageLayout.sha256Hex(pkg), target));
        assertArrayEquals(pkg, Files.readAllBytes(target));
        assertEquals(pkg.length, new ModelDownloader(30_000, 4 << 20).download(base + "/chunked.zip", PackageLayout.sha256Hex(pkg), target));
    }

    @Test
    public void wrongHashTooLargeMissingAndStalledAreRefused() throws Exception {
        // a generous timeout where time is not the point (the machine may be busy), a short one for the stall
        ModelDownloader d = new ModelDownloader(30_000, 4 << 20);
        ModelDownloader impatient = new ModelDownloader(1500, 4 << 20);
        CommandException wrong = refusal(d, base + "/pkg.zip", "0".repeat(64));
        assertEquals(400, wrong.code());
        assertTrue(wrong.getMessage(), wrong.getMessage().contains("SHA-256"));

        ModelDownloader small = new ModelDownloader(30_000, 1 << 20);
        CommandException declared = refusal(small, base + "/pkg.zip", PackageLayout.sha256Hex(pkg));
        assertEquals(400, declared.code());
        assertTrue(declared.getMessage(), declared.getMessage().contains("larger than the limit"));
        CommandException streamed = refusal(small, base + "/chunked.zip", PackageLayout.sha256Hex(pkg));
        assertEquals(400, streamed.code());
        assertTrue(streamed.getMessage(), streamed.getMessage().contains("larger than the limit"));

        CommandException missing = refusal(d, base + "/nothing.zip", PackageLayout.sha256Hex(pkg));
        assertEquals(400, missing.code());
        assertTrue(missing.getMessage(), missing.getMessage().contains("HTTP 404"));

        long t0 = System.nanoTime();
        CommandException stalled = refusal(impatient, base + "/stall.zip", PackageLayout.sha256Hex(pkg));
        assertEquals(500, stalled.code());
        assertTrue(stalled.getMessage(), stalled.getMessage().contains("within 1500 ms"));
        System.out.printf("stalled download given up after %d ms (timeout 1500 ms)%n", (System.nanoTime() - t0) / 1_000_000);

        CommandException refused = refusal(d, "http://127.0.0.1:1/p.zip", PackageLayout.sha256Hex(pkg));
        assertEquals(500, refused.code());
    }
}

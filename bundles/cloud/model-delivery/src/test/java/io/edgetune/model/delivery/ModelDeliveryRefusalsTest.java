package io.edgetune.model.delivery;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.edgetune.cloud.mqtt.codec.KuraTopics;
import io.edgetune.cloud.mqtt.codec.KuraTopics.Verb;
import io.edgetune.cloud.mqtt.testing.CloudClient;
import io.edgetune.testsupport.TestBroker;
import io.edgetune.commands.internal.DeliverySettings;
import io.edgetune.modelpackage.testing.Zips;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.kura.message.KuraPayload;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * What the gateway refuses, over Moquette with the real handler and registry:
 * tampered, foreign-signed and unsigned packages, chunks with a wrong hash,
 * bad URLs and malformed requests. The running model never changes.
 */
public class ModelDeliveryRefusalsTest {

    private static final int CHUNK = 1 << 20;

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private TestBroker broker;
    private GatewaySide gateway;
    private MqttClient paho;
    private ModelSender sender;
    private CloudClient raw;
    private KeyPair keys;
    private int requests;

    @Before
    public void setUp() throws Exception {
        broker = TestBroker.create("moquette", tmp.newFolder("broker").toPath());
        broker.start();
        keys = ModelPackager.generateKeyPair();
        DeliverySettings limits = new DeliverySettings(null, CHUNK, 16L << 20, 4, 64L << 20, 3_600_000, 10_000);
        gateway = new GatewaySide(tmp.newFolder("gateway").toPath(), broker.url(), ModelPackager.trustedKeyText(keys.getPrivate()), limits);
        paho = new MqttClient(broker.url(), "annotator", new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setAutomaticReconnect(true);
        paho.connect(o);
        sender = new ModelSender(paho, GatewaySide.ACCOUNT, ModelSender.Options.defaults().withChunkBytes(CHUNK).withMaxRetries(3));
        raw = new CloudClient(broker.url(), "operator");
        raw.subscribe("$EDC/" + GatewaySide.ACCOUNT + "/operator/EDGETUNE-V1/REPLY/#");
    }

    @After
    public void tearDown() throws Exception {
        if (sender != null) {
            sender.close();
        }
        if (paho != null) {
            paho.disconnect(1000);
            paho.close(true);
        }
        if (raw != null) {
            raw.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        broker.stop();
    }

    private KuraPayload request(Verb verb, KuraPayload p, String... resources) throws Exception {
        return raw.request(GatewaySide.ACCOUNT, GatewaySide.GATEWAY, "EDGETUNE-V1", verb, "r" + (++requests),
                p == null ? new KuraPayload() : p, resources);
    }

    private static int code(KuraPayload reply) {
        return (Integer) reply.getMetric(KuraTopics.RESPONSE_CODE);
    }

    private static String error(KuraPayload reply) {
        return String.valueOf(reply.getMetric(KuraTopics.RESPONSE_EXCEPTION_MESSAGE));
    }

    private void assertRefused(String what, byte[] pkg, String reason) throws Exception {
        DeliveryOutcome o = sender.send(GatewaySide.GATEWAY, pkg, true);
        System.out.printf("%s: %s (%d ms)%n", what, o.message(), o.millis());
        assertFalse(what, o.accepted());
        assertEquals(what + ": " + o.message(), 400, o.responseCode());
        assertTrue(what + ": " + o.message(), o.message().contains(reason));
        assertEquals("refused packages are not retried", 0, o.retries());
        assertEquals("base-oidv4", gateway.registry.activeVersion().orElseThrow());
        assertEquals("base-oidv4", gateway.runningModel());
        assertEquals(1, gateway.registry.list().size());
        try (var left = Files.list(gateway.partialUploads())) {
            assertEquals("a refused upload is deleted", 0, left.count());
        }
    }

    @Test
    public void tamperedForeignSignedAndUnsignedPackagesAreRefused() throws Exception {
        byte[] good = ModelPackager.build(Assets.model(), Assets.descriptor("t1"), keys.getPrivate());

        Map<String, byte[]> flipped = Zips.unzip(good);
        flipped.get(ModelPackager.MODEL)[4_000_000] ^= 0x10;
        assertRefused("model byte flipped", Zips.zip(flipped), "SHA-256 of model.tflite");

        KeyPair other = ModelPackager.generateKeyPair();
        assertRefused("signed with another key", ModelPackager.build(Assets.model(), Assets.descriptor("t2"), other.getPrivate()),
                "signature that does not match the trusted key");

        assertRefused("unsigned", ModelPackager.build(Assets.model(), Assets.descriptor("t3"), null), "unsigned");

        // correctly signed, but the manifest names another model's hash
        byte[] manifest = ModelPackager.manifest(Assets.descriptor("t4"), ModelPackager.sha256Hex(new byte[] {1, 2, 3}));
        Map<String, byte[]> lying = new LinkedHashMap<>();
        lying.put(ModelPackager.MANIFEST, manifest);
        lying.put(ModelPackager.SIGNATURE, ModelPackager.sign(manifest, keys.getPrivate()).getBytes(StandardCharsets.US_ASCII));
        lying.put(ModelPackager.MODEL, Assets.model());
        assertRefused("manifest sha256 mismatch", Zips.zip(lying), "but the manifest says");

        assertRefused("not a zip", Arrays.copyOf(Assets.model(), 2_000_000), "model package");

        DeliveryOutcome ok = sender.send(GatewaySide.GATEWAY, good, true);
        assertTrue(ok.message(), ok.accepted());
        assertEquals("t1", gateway.runningModel());
    }

    @Test
    public void aChunkWithAWrongHashIsRefusedAndNotStoredAndTheSenderResumesTheUpload() throws Exception {
        byte[] pkg = ModelPackager.build(Assets.model(), Assets.descriptor("c1"), keys.getPrivate());
        String id = ModelSender.uploadId(pkg);
        String sha = ModelPackager.sha256Hex(pkg);
        KuraPayload first = chunk(pkg, sha, 0, CHUNK);
        assertEquals(error(first), 200, code(request(Verb.POST, first, "models", "upload", id)));

        KuraPayload bad = chunk(pkg, sha, CHUNK, CHUNK);
        bad.getBody()[10] ^= 1; // corrupted on the way: the chunk hash no longer matches
        KuraPayload refused = request(Verb.POST, bad, "models", "upload", id);
        assertEquals(400, code(refused));
        assertTrue(error(refused), error(refused).contains("not stored"));
        KuraPayload status = request(Verb.GET, null, "models", "upload", id);
        assertEquals(200, code(status));
        assertEquals((long) CHUNK, status.getMetric("received"));
        assertEquals((long) pkg.length, status.getMetric("total.size"));
        assertEquals(CHUNK, status.getMetric("chunk.max.bytes"));

        // a sender (another client, or this one after a restart) continues from what the gateway holds
        DeliveryOutcome o = sender.send(GatewaySide.GATEWAY, pkg, false);
        System.out.printf("resumed upload: %d of %d bytes sent, %d chunks, %d ms%n", o.bytes(), pkg.length, o.chunks(), o.millis());
        assertTrue(o.message(), o.accepted());
        assertEquals(pkg.length - CHUNK, o.bytes());
        assertEquals("c1", o.version());
    }

    private static KuraPayload chunk(byte[] pkg, String sha, int offset, int len) {
        byte[] c = Arrays.copyOfRange(pkg, offset, Math.min(pkg.length, offset + len));
        KuraPayload p = new KuraPayload();
        p.addMetric("offset", (long) offset);
        p.addMetric("total.size", (long) pkg.length);
        p.addMetric("sha256", sha);
        p.addMetric("chunk.sha256", ModelPackager.sha256Hex(c));
        p.setBody(c);
        return p;
    }

    @Test
    public void theSenderRecoversWhenTheGatewayLostPartOfAnUpload() throws Exception {
        byte[] pkg = ModelPackager.build(Assets.model(), Assets.descriptor("c2"), keys.getPrivate());
        Path part = gateway.partialUploads().resolve(ModelSender.uploadId(pkg) + ".part");
        AtomicBoolean cut = new AtomicBoolean();
        DeliveryOutcome o = sender.send(GatewaySide.GATEWAY, pkg, true, (gw, received, total) -> {
            if (received == 4L * CHUNK && cut.compareAndSet(false, true)) {
                try (var ch = java.nio.channels.FileChannel.open(part, java.nio.file.StandardOpenOption.WRITE)) {
                    ch.truncate(100_000); // a torn write after a power cut
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        System.out.printf("upload with a truncated partial file: %d of %d bytes sent, %d retries, %d ms%n", o.bytes(), pkg.length,
                o.retries(), o.millis());
        assertTrue(o.message(), o.accepted());
        assertEquals(1, o.retries());
        assertEquals("the chunk at the wrong offset and the lost bytes are sent again",
                pkg.length + CHUNK + (4L * CHUNK - 100_000), o.bytes());
        assertEquals("c2", gateway.runningModel());
    }

    private static final long SLOW_MILLIS = 4000;

    @Test
    public void urlInstallsDownloadCheckAndInstall() throws Exception {
        byte[] pkg = ModelPackager.build(Assets.model(), Assets.descriptor("u1"), keys.getPrivate());
        byte[] pkg2 = ModelPackager.build(Assets.model(), Assets.descriptor("u2"), keys.getPrivate());
        byte[] pkg3 = ModelPackager.build(Assets.model(), Assets.descriptor("u3"), keys.getPrivate());
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        java.util.concurrent.ExecutorService workers = java.util.concurrent.Executors.newFixedThreadPool(2);
        http.setExecutor(workers); // a refused download must not hold up the next one
        http.createContext("/u1.zip", x -> {
            x.sendResponseHeaders(200, pkg.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(pkg);
            }
        });
        http.createContext("/slow.zip", x -> {
            try {
                Thread.sleep(SLOW_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            x.sendResponseHeaders(200, pkg2.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(pkg2);
            }
        });
        http.createContext("/u3.zip", x -> {
            x.sendResponseHeaders(200, pkg3.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(pkg3);
            }
        });
        http.createContext("/huge.zip", x -> {
            x.sendResponseHeaders(200, 0); // streamed, no length: 17 MiB against a 16 MiB limit
            try (OutputStream out = x.getResponseBody()) {
                byte[] block = new byte[1 << 20];
                for (int i = 0; i < 17; i++) {
                    out.write(block);
                }
            } catch (java.io.IOException closedByTheGateway) {
                // expected once the limit is reached
            }
        });
        http.start();
        try {
            String base = "http://127.0.0.1:" + http.getAddress().getPort();
            String sha = ModelPackager.sha256Hex(pkg);

            DeliveryOutcome wrong = sender.installFromUrl(GatewaySide.GATEWAY, URI.create(base + "/u1.zip"), "0".repeat(64), true);
            assertFalse(wrong.accepted());
            assertEquals(400, wrong.responseCode());
            assertTrue(wrong.message(), wrong.message().contains("SHA-256"));

            DeliveryOutcome huge = sender.installFromUrl(GatewaySide.GATEWAY, URI.create(base + "/huge.zip"), sha, true);
            assertEquals(400, huge.responseCode());
            assertTrue(huge.message(), huge.message().contains("larger than the limit"));

            DeliveryOutcome missing = sender.installFromUrl(GatewaySide.GATEWAY, URI.create(base + "/nope.zip"), sha, true);
            assertEquals(400, missing.responseCode());
            assertTrue(missing.message(), missing.message().contains("HTTP 404"));
            assertEquals("base-oidv4", gateway.runningModel());

            DeliveryOutcome ok = sender.installFromUrl(GatewaySide.GATEWAY, URI.create(base + "/u1.zip"), sha, true);
            System.out.printf("URL install: %s %s in %d ms%n", ok.version(), ok.message(), ok.millis());
            assertTrue(ok.message(), ok.accepted());
            assertEquals("u1", ok.version());
            assertEquals("u1", gateway.runningModel());

            // a slow download does not hold a request thread: the install is accepted at once, other requests
            // are answered meanwhile, and models/operations/{id} follows it to the end
            KuraPayload slowReq = new KuraPayload();
            slowReq.addMetric("url", base + "/slow.zip");
            slowReq.addMetric("sha256", ModelPackager.sha256Hex(pkg2));
            slowReq.addMetric("activate", true);
            long t0 = System.nanoTime();
            KuraPayload accepted = request(Verb.EXEC, slowReq, "models", "install");
            assertEquals(error(accepted), 200, code(accepted));
            assertEquals("accepted", accepted.getMetric("operation.state"));
            String op = (String) accepted.getMetric("operation.id");
            assertEquals("models/operations/" + op, accepted.getMetric("operation.resource"));
            KuraPayload during = request(Verb.GET, null, "models", "operations", op);
            assertEquals(200, code(during));
            assertEquals("running", during.getMetric("operation.state"));
            assertEquals("downloading", during.getMetric("operation.step"));
            assertEquals(0, during.getMetric("operation.code"));
            assertEquals(200, code(request(Verb.GET, null, "models")));
            long answeredMillis = (System.nanoTime() - t0) / 1_000_000;
            assertTrue("answered while the download waits: " + answeredMillis + " ms", answeredMillis < SLOW_MILLIS);
            KuraPayload done = during;
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!"succeeded".equals(done.getMetric("operation.state")) && System.nanoTime() < until) {
                Thread.sleep(200);
                done = request(Verb.GET, null, "models", "operations", op);
            }
            assertEquals(done.metrics().toString(), "succeeded", done.getMetric("operation.state"));
            assertEquals(200, done.getMetric("operation.code"));
            assertEquals("u2", done.getMetric("version"));
            assertEquals("u2", gateway.runningModel());
            KuraPayload unknown = request(Verb.GET, null, "models", "operations", "op-nope");
            assertEquals(404, code(unknown));
            assertEquals("operation", unknown.getMetric("not.found"));

            // the same against a dispatcher that behaves like Kura's (publishes the handler's reply unchanged)
            gateway.stop();
            gateway.kuraLike = true;
            gateway.start();
            DeliveryOutcome wrongOnKura = sender.installFromUrl(GatewaySide.GATEWAY, URI.create(base + "/u3.zip"), "0".repeat(64), true);
            assertFalse(wrongOnKura.accepted());
            assertEquals(400, wrongOnKura.responseCode());
            assertTrue(wrongOnKura.message(), wrongOnKura.message().contains("SHA-256"));
            DeliveryOutcome okOnKura = sender.installFromUrl(GatewaySide.GATEWAY, URI.create(base + "/u3.zip"), ModelPackager.sha256Hex(pkg3), true);
            System.out.printf("URL install through a Kura-like dispatcher: %s %s in %d ms%n", okOnKura.version(), okOnKura.message(),
                    okOnKura.millis());
            assertTrue(okOnKura.message(), okOnKura.accepted());
            assertEquals("u3", okOnKura.version());
            assertEquals("u3", gateway.runningModel());
        } finally {
            http.stop(0);
            workers.shutdownNow();
        }
    }

    @Test
    public void malformedAndOutOfOrderRequestsAreAnsweredWithClearCodes() throws Exception {
        String sha = "ab".repeat(32);
        KuraPayload negative = new KuraPayload();
        negative.addMetric("offset", -5L);
        negative.addMetric("total.size", 10L);
        negative.addMetric("sha256", sha);
        negative.addMetric("chunk.sha256", sha);
        negative.setBody(new byte[5]);
        KuraPayload r = request(Verb.POST, negative, "models", "upload", "x1");
        assertEquals(400, code(r));
        assertTrue(error(r), error(r).contains("negative"));

        KuraPayload missing = new KuraPayload();
        missing.addMetric("offset", 0L);
        missing.setBody(new byte[5]);
        r = request(Verb.POST, missing, "models", "upload", "x1");
        assertEquals(400, code(r));
        assertTrue(error(r), error(r).contains("total.size"));

        assertEquals(400, code(request(Verb.GET, null, "models", "upload", "..")));
        assertEquals(400, code(request(Verb.GET, null, "models", "upload", "a b")));
        assertEquals(400, code(request(Verb.PUT, null, "models", "upload", "x1")));
        assertEquals(404, code(request(Verb.GET, null, "models", "upload", "x1")));
        assertEquals(404, code(request(Verb.EXEC, null, "models", "upload", "x1", "commit")));
        KuraPayload del = request(Verb.DEL, null, "models", "upload", "x1");
        assertEquals(200, code(del));
        assertEquals(false, del.getMetric("removed"));

        // an incomplete upload cannot be committed, and stays; DEL removes it
        byte[] pkg = ModelPackager.build(Assets.model(), Assets.descriptor("m1"), keys.getPrivate());
        String id = ModelSender.uploadId(pkg);
        assertEquals(200, code(request(Verb.POST, chunk(pkg, ModelPackager.sha256Hex(pkg), 0, CHUNK), "models", "upload", id)));
        r = request(Verb.EXEC, null, "models", "upload", id, "commit");
        assertEquals(400, code(r));
        assertTrue(error(r), error(r).contains("holds " + CHUNK + " of " + pkg.length));
        assertEquals(200, code(request(Verb.GET, null, "models", "upload", id)));
        assertEquals(true, request(Verb.DEL, null, "models", "upload", id).getMetric("removed"));
        assertEquals(404, code(request(Verb.GET, null, "models", "upload", id)));

        // a chunk over the gateway's limit
        KuraPayload big = chunk(Arrays.copyOf(pkg, 3 * CHUNK), ModelPackager.sha256Hex(Arrays.copyOf(pkg, 3 * CHUNK)), 0, CHUNK + 1);
        r = request(Verb.POST, big, "models", "upload", "x2");
        assertEquals(400, code(r));
        assertTrue(error(r), error(r).contains("larger than the limit"));
        assertEquals("base-oidv4", gateway.runningModel());
    }

    @Test
    public void cancelAndTheDeadlineEndADeliveryToAGatewayThatIsDown() throws Exception {
        byte[] pkg = ModelPackager.build(Assets.model(), Assets.descriptor("d1"), keys.getPrivate());
        gateway.stop();
        AtomicReference<DeliveryOutcome> outcome = new AtomicReference<>();
        Thread t = new Thread(() -> outcome.set(sender.send(GatewaySide.GATEWAY, pkg, true)));
        t.start();
        Thread.sleep(1000);
        long t0 = System.nanoTime();
        sender.cancel();
        t.join(30_000);
        System.out.printf("cancelled delivery returned %d ms after cancel()%n", (System.nanoTime() - t0) / 1_000_000);
        assertFalse(t.isAlive());
        assertFalse(outcome.get().accepted());
        assertEquals("cancelled", outcome.get().message());

        ModelSender.Options quick = ModelSender.Options.defaults().withRequestTimeout(Duration.ofMillis(500)).withDeadline(Duration.ofSeconds(2));
        try (ModelSender bounded = new ModelSender(paho, GatewaySide.ACCOUNT, quick)) {
            DeliveryOutcome o = bounded.send(GatewaySide.GATEWAY, pkg, true);
            System.out.printf("delivery to a stopped gateway: %s after %d ms, %d retries%n", o.message(), o.millis(), o.retries());
            assertFalse(o.accepted());
            assertEquals(0, o.responseCode());
            assertTrue(o.message(), o.message().startsWith("no delivery within 2 s") || o.message().contains("failed"));
        }
        assertEquals("base-oidv4", gateway.runningModel());
    }
}

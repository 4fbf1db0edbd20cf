package io.edgetune.commands;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.edgetune.api.detect.DetectorService;
import io.edgetune.api.frame.CameraService;
import io.edgetune.api.frame.CameraStatus;
import io.edgetune.api.model.ModelDescriptor;
import io.edgetune.api.model.ModelException;
import io.edgetune.api.model.ModelRegistry;
import io.edgetune.api.motion.MotionService;
import io.edgetune.api.upload.SamplingService;
import io.edgetune.cloud.mqtt.codec.KuraTopics;
import io.edgetune.cloud.mqtt.codec.KuraTopics.Verb;
import io.edgetune.cloud.mqtt.internal.ConnectionSettings;
import io.edgetune.cloud.mqtt.internal.MqttCloudConnection;
import io.edgetune.cloud.mqtt.testing.CloudClient;
import io.edgetune.cloud.mqtt.testing.KuraLikeDispatcher;
import io.edgetune.testsupport.BrokerAndDispatcherTest;
import io.edgetune.commands.internal.EdgeTuneRequestHandler;
import io.edgetune.commands.internal.SnapshotSource;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.eclipse.kura.message.KuraPayload;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * EDGETUNE-V1 end to end: a cloud-side Paho client sends requests through a
 * real broker to the real cloud connection and handler; snapshots are real
 * frames of the sample video.
 */
public class CommandsOverMqttTest extends BrokerAndDispatcherTest {

    private static final String ACCOUNT = "edgetune";
    private static final String GATEWAY = "pi-1";
    private static final String APP = EdgeTuneRequestHandler.APP_ID;

    private MqttCloudConnection gateway;
    private KuraLikeDispatcher kura;
    private CloudClient cloud;
    private VideoSnapshots video;
    private final Pipeline pipeline = new Pipeline();
    private int requestCounter;

    public CommandsOverMqttTest(String brokerKind, String dispatcher) {
        super(brokerKind, dispatcher);
    }

    @Before
    public void setUp() throws Exception {
        startBroker();
        video = new VideoSnapshots("cam-1");
        pipeline.snapshots = video;
        pipeline.work = tmp.newFolder("uploads").toPath();
        if (kuraLike) {
            kura = new KuraLikeDispatcher(broker.url(), ACCOUNT, GATEWAY);
            kura.registerRequestHandler(APP, new EdgeTuneRequestHandler(pipeline, 5000, 0.9f));
        } else {
            gateway = new MqttCloudConnection(ConnectionSettings.from(Map.of("broker.url", broker.url(), "account.name", ACCOUNT,
                    "client.id", GATEWAY, "reconnect.min.delay.ms", 100, "reconnect.max.delay.ms", 500)),
                    tmp.newFolder("outbox").toPath(), "test");
            gateway.registerRequestHandler(APP, new EdgeTuneRequestHandler(pipeline, 5000, 0.9f));
            gateway.start();
        }
        cloud = new CloudClient(broker.url(), "annotator-" + brokerKind);
        cloud.subscribe("$EDC/" + ACCOUNT + "/" + cloud.clientId() + "/" + APP + "/REPLY/#");
        cloud.subscribe("$EDC/" + ACCOUNT + "/" + GATEWAY + "/" + APP + "/REPLY/#");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (gateway != null && !gateway.isConnected() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(gateway == null || gateway.isConnected());
    }

    @After
    public void tearDown() throws Exception {
        if (cloud != null) {
            cloud.close();
        }
        if (gateway != null) {
            gateway.stop(3000);
        }
        if (kura != null) {
            kura.close();
        }
        if (video != null) {
            video.close();
        }
        broker.stop();
    }

    private KuraPayload request(Verb verb, KuraPayload body, String... resources) throws Exception {
        return cloud.request(ACCOUNT, GATEWAY, APP, verb, "q" + (++requestCounter), body == null ? new KuraPayload() : body, resources);
    }

    private static int code(KuraPayload reply) {
        return (Integer) reply.getMetric(KuraTopics.RESPONSE_CODE);
    }

    private static String error(KuraPayload reply) {
        return String.valueOf(reply.getMetric(KuraTopics.RESPONSE_EXCEPTION_MESSAGE));
    }

    private static JsonObject body(KuraPayload reply) {
        return JsonParser.parseString(new String(reply.getBody(), StandardCharsets.UTF_8)).getAsJsonObject();
    }

    @Test
    public void statusAndModels() throws Exception {
        KuraPayload status = request(Verb.GET, null, "status");
        assertEquals(200, code(status));
        assertEquals(1, status.getMetric("cameras"));
        assertEquals("v1", status.getMetric("model.version"));
        assertEquals("application/json", status.getMetric("content.type"));
        JsonObject json = body(status);
        JsonObject camera = json.getAsJsonArray("cameras").get(0).getAsJsonObject();
        assertEquals(json.toString(), "cam-1", camera.get("id").getAsString());
        assertEquals(json.toString(), "RUNNING", camera.get("state").getAsString());
        assertEquals(json.toString(), 0.75, camera.get("motionSkipRatio").getAsDouble(), 0);
        assertTrue(json.toString(), json.get("detector").isJsonNull());

        KuraPayload models = request(Verb.GET, null, "models");
        assertEquals(200, code(models));
        assertEquals(1, models.getMetric("count"));
        JsonObject listed = body(models);
        assertEquals(listed.toString(), "v1", listed.getAsJsonArray("models").get(0).getAsJsonObject().get("version").getAsString());

        KuraPayload pkg = new KuraPayload();
        pkg.setBody("EDGETUNE-MODEL v2".getBytes(StandardCharsets.UTF_8));
        pkg.addMetric("activate", true);
        KuraPayload installed = request(Verb.POST, pkg, "models", "install");
        assertEquals(error(installed), 200, code(installed));
        assertEquals("v2", installed.getMetric("version"));
        assertEquals("v2", pipeline.active);
        assertEquals("upload files are removed", 0, Files.list(pipeline.work).count());

        KuraPayload junk = new KuraPayload();
        junk.setBody(new byte[] {0x50, 0x4b, 0x03});
        KuraPayload refused = request(Verb.POST, junk, "models", "install");
        assertEquals(400, code(refused));
        assertTrue(error(refused), error(refused).contains("not a model package"));

        assertEquals(400, code(request(Verb.EXEC, null, "models", "activate", "v9")));
        assertEquals(200, code(request(Verb.EXEC, null, "models", "rollback")));
        assertEquals("v1", pipeline.active);
        KuraPayload byMetric = new KuraPayload();
        byMetric.addMetric("version", "v2");
        assertEquals(200, code(request(Verb.POST, byMetric, "models", "activate")));
        assertEquals("v2", pipeline.active);
    }

    /** camera.id on install, activate and rollback: that camera's own model; models and status name it. */
    @Test
    public void modelCommandsForOneCamera() throws Exception {
        KuraPayload pkg = new KuraPayload();
        pkg.setBody("EDGETUNE-MODEL cam-v2".getBytes(StandardCharsets.UTF_8));
        pkg.addMetric("activate", true);
        pkg.addMetric("camera.id", "cam-1");
        KuraPayload installed = request(Verb.POST, pkg, "models", "install");
        assertEquals(error(installed), 200, code(installed));
        assertEquals("cam-1", installed.getMetric("camera.id"));
        assertEquals("the default is untouched", "v1", pipeline.active);
        assertEquals(Map.of("cam-1", "cam-v2"), pipeline.cameraModels);

        KuraPayload models = request(Verb.GET, null, "models");
        assertEquals("v1", models.getMetric("active.version"));
        assertEquals("cam-v2", models.getMetric("active.version.cam-1"));
        assertEquals(body(models).toString(), "cam-v2", body(models).getAsJsonObject("cameras").get("cam-1").getAsString());
        KuraPayload status = request(Verb.GET, null, "status");
        assertEquals("v1", status.getMetric("model.version"));
        JsonObject camera = body(status).getAsJsonArray("cameras").get(0).getAsJsonObject();
        assertEquals(camera.toString(), "cam-v2", camera.get("modelVersion").getAsString());

        KuraPayload back = new KuraPayload();
        back.addMetric("camera.id", "cam-1");
        KuraPayload rolled = request(Verb.EXEC, back, "models", "rollback");
        assertEquals(error(rolled), 200, code(rolled));
        assertEquals("v1", rolled.getMetric("version"));
        assertEquals(Map.of(), pipeline.cameraModels);
        assertEquals(400, code(request(Verb.EXEC, back, "models", "rollback")));

        KuraPayload pin = new KuraPayload();
        pin.addMetric("camera.id", "cam-1");
        KuraPayload pinned = request(Verb.EXEC, pin, "models", "activate", "cam-v2");
        assertEquals(error(pinned), 200, code(pinned));
        assertEquals(Map.of("cam-1", "cam-v2"), pipeline.cameraModels);
        assertEquals("v1", pipeline.active);
        KuraPayload badCamera = new KuraPayload();
        badCamera.addMetric("camera.id", "a/b");
        assertEquals(400, code(request(Verb.EXEC, badCamera, "models", "activate", "cam-v2")));
    }

    @Test
    public void snapshotIsARealJpegOfTheNextFrame() throws Exception {
        KuraPayload reply = request(Verb.GET, null, "cameras", "cam-1", "snapshot");
        assertEquals(error(reply), 200, code(reply));
        assertEquals("image/jpeg", reply.getMetric("content.type"));
        assertEquals(768, reply.getMetric("width"));
        assertEquals(576, reply.getMetric("height"));
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(reply.getBody()));
        assertNotNull("reply body decodes as an image", img);
        assertEquals(768, img.getWidth());
        assertEquals(576, img.getHeight());
        // compare with the decoded frame: JPEG at quality 0.9 stays close to the original
        BufferedImage bgr = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        bgr.getGraphics().drawImage(img, 0, 0, null);
        byte[] decoded = ((DataBufferByte) bgr.getRaster().getDataBuffer()).getData();
        byte[] original = video.lastBgr;
        double se = 0;
        for (int i = 0; i < original.length; i++) {
            double d = (original[i] & 0xff) - (decoded[i] & 0xff);
            se += d * d;
        }
        double psnr = 10 * Math.log10(255.0 * 255.0 / (se / original.length));
        System.out.printf("%s snapshot: %d bytes JPEG for a %dx%d frame, PSNR %.1f dB%n", brokerKind,
                reply.getBody().length, img.getWidth(), img.getHeight(), psnr);
        assertTrue("PSNR " + psnr, psnr > 30);

        KuraPayload unknown = request(Verb.GET, null, "cameras", "cam-9", "snapshot");
        assertEquals(404, code(unknown));
        assertTrue(error(unknown), error(unknown).contains("cam-9"));
    }

    @Test
    public void resetAndSamplesAndMissingServices() throws Exception {
        assertEquals(200, code(request(Verb.EXEC, null, "cameras", "cam-1", "reset")));
        assertEquals(List.of("cam-1"), pipeline.resets);
        assertEquals(404, code(request(Verb.EXEC, null, "cameras", "cam-2", "reset")));

        KuraPayload sample = request(Verb.EXEC, null, "samples", "now");
        assertEquals(200, code(sample));
        assertEquals(1, sample.getMetric("cameras"));
        KuraPayload one = new KuraPayload();
        one.addMetric("camera.id", "nope");
        assertEquals(404, code(request(Verb.EXEC, one, "samples", "now")));

        // the uploader and the motion stage go away: clear 404s, no crash
        pipeline.sampling = false;
        pipeline.motion = false;
        KuraPayload gone = request(Verb.EXEC, null, "samples", "now");
        assertEquals(404, code(gone));
        assertTrue(error(gone), error(gone).contains("not available"));
        assertEquals(404, code(request(Verb.EXEC, null, "cameras", "cam-1", "reset")));
        assertEquals(200, code(request(Verb.GET, null, "status")));
    }

    @Test
    public void malformedRequestsGetErrorRepliesAndNothingBreaks() throws Exception {
        KuraPayload nothing = request(Verb.GET, null, "nothing");
        assertEquals(404, code(nothing));
        assertEquals("resource", nothing.getMetric(EdgeTuneRequestHandler.NOT_FOUND));
        KuraPayload wrongVerb = request(Verb.POST, null, "status");
        assertEquals(400, code(wrongVerb));
        assertTrue(error(wrongVerb), error(wrongVerb).contains("POST is not allowed on status"));
        KuraPayload noResource = request(Verb.GET, null);
        assertEquals(400, code(noResource));
        assertTrue(error(noResource), error(noResource).contains("missing resource"));
        KuraPayload noPackage = request(Verb.POST, null, "models", "install");
        assertEquals(400, code(noPackage));
        assertTrue(error(noPackage), error(noPackage).contains("needs the model package"));
        KuraPayload badUrl = new KuraPayload();
        badUrl.addMetric("url", "ftp://example.org/m.zip");
        badUrl.addMetric("sha256", "ab".repeat(32));
        KuraPayload refusedUrl = request(Verb.EXEC, badUrl, "models", "install");
        assertEquals(400, code(refusedUrl));
        assertTrue(error(refusedUrl), error(refusedUrl).contains("http or https"));

        // a storm of random requests: every one is answered with 200, 400 or 404, never 500
        Random rnd = new Random(7);
        String[] words = {"status", "models", "install", "activate", "rollback", "cameras", "cam-1", "snapshot", "reset",
                "samples", "now", "x", "v1", "..", "ü"};
        int answered = 0;
        for (int i = 0; i < 60; i++) {
            Verb verb = Verb.values()[rnd.nextInt(Verb.values().length)];
            String[] res = new String[rnd.nextInt(4)];
            for (int k = 0; k < res.length; k++) {
                res[k] = words[rnd.nextInt(words.length)];
            }
            KuraPayload p = new KuraPayload();
            if (rnd.nextBoolean()) {
                byte[] b = new byte[rnd.nextInt(20)];
                rnd.nextBytes(b);
                p.setBody(b);
            }
            KuraPayload reply = request(verb, p, res);
            int c = code(reply);
            // a client's mistake is 400 or 404; 500 would mean the gateway failed on input it should have refused
            assertTrue(verb + " " + String.join("/", res) + " answered " + c + " " + reply.metrics(),
                    c == 200 || c == 400 || c == 404);
            answered++;
        }
        // payload garbage on the request topic: the standalone gateway's error notice; Kura answers nothing
        cloud.publish(KuraTopics.request(ACCOUNT, GATEWAY, APP, Verb.GET, "status"), new byte[] {(byte) 0xff, 1, 2});
        if (!kuraLike) {
            KuraPayload notice = cloud.await(KuraTopics.reply(ACCOUNT, GATEWAY, APP, "error")::equals, 30).payload();
            assertEquals(400, code(notice));
        }
        assertEquals(200, code(request(Verb.GET, null, "status")));
        if (kuraLike) {
            assertEquals("only the undecodable request went unanswered", 1, kura.unanswered());
        }
        System.out.printf("%s: %d random requests answered%n", brokerKind, answered);
    }

    @Test
    public void aHostileFailureIsA500WithItsReasonAndTheNextRequestIsServed() throws Exception {
        pipeline.camerasFail = new StackOverflowError();
        KuraPayload overflow = request(Verb.GET, null, "status");
        assertEquals(500, code(overflow));
        assertTrue(error(overflow), error(overflow).contains("StackOverflowError"));
        pipeline.camerasFail = new OutOfMemoryError("Java heap space");
        KuraPayload oom = request(Verb.GET, null, "status");
        assertEquals(500, code(oom));
        assertTrue(error(oom), error(oom).contains("OutOfMemoryError"));
        pipeline.camerasFail = new IllegalStateException("camera list broken");
        assertTrue(error(request(Verb.GET, null, "status")).contains("camera list broken"));
        pipeline.camerasFail = null;
        for (int i = 0; i < 4; i++) { // more than the two handler threads: none of them died
            assertEquals(200, code(request(Verb.GET, null, "status")));
        }
        if (kuraLike) {
            assertEquals(4, kura.successes());
            assertEquals(3, kura.failures());
            assertTrue(kura.threadsUsed().toString(), kura.threadsUsed().size() <= 2);
        }
    }

    /** The pipeline services as the handler sees them; camera frames come from the real video. */
    private static final class Pipeline implements EdgeTuneRequestHandler.Services {
        volatile SnapshotSource snapshots;
        volatile Path work;
        volatile boolean sampling = true;
        volatile boolean motion = true;
        volatile Throwable camerasFail;
        final List<String> resets = new ArrayList<>();
        final List<String> versions = new ArrayList<>(List.of("v1"));
        volatile String active = "v1";
        volatile String previous;
        final Map<String, String> cameraModels = new java.util.concurrent.ConcurrentHashMap<>();

        private ModelDescriptor descriptor(String v) {
            return new ModelDescriptor(v, "0".repeat(64), List.of("???", "Person"), 300, 300, "ssd-mobilenet-v2:300",
                    null, Map.of("ap50", 0.5), 0L, false);
        }

        @Override
        public ModelRegistry modelRegistry() {
            return new ModelRegistry() {
                @Override
                public List<ModelDescriptor> list() {
                    return versions.stream().map(Pipeline.this::descriptor).toList();
                }

                @Override
                public Optional<ModelDescriptor> active() {
                    return Optional.ofNullable(active).map(Pipeline.this::descriptor);
                }

                @Override
                public ModelDescriptor install(Path modelPackage) throws ModelException {
                    try {
                        String text = Files.readString(modelPackage, StandardCharsets.ISO_8859_1);
                        if (!text.startsWith("EDGETUNE-MODEL ")) {
                            throw new ModelException("not a model package");
                        }
                        String v = text.substring("EDGETUNE-MODEL ".length()).trim();
                        versions.add(v);
                        return descriptor(v);
                    } catch (java.io.IOException e) {
                        throw new ModelException("unreadable", e);
                    }
                }

                @Override
                public ModelDescriptor activate(String version) throws ModelException {
                    if (!versions.contains(version)) {
                        throw new ModelException("unknown version " + version);
                    }
                    previous = active;
                    active = version;
                    return descriptor(version);
                }

                @Override
                public ModelDescriptor rollback() throws ModelException {
                    if (previous == null) {
                        throw new ModelException("nothing to roll back to");
                    }
                    active = previous;
                    previous = null;
                    return descriptor(active);
                }

                @Override
                public Optional<ModelDescriptor> active(String cameraId) {
                    return Optional.ofNullable(cameraModels.getOrDefault(cameraId, active)).map(Pipeline.this::descriptor);
                }

                @Override
                public Map<String, String> cameraModels() {
                    return Map.copyOf(cameraModels);
                }

                @Override
                public ModelDescriptor activate(String cameraId, String version) throws ModelException {
                    if (cameraId == null) {
                        return activate(version);
                    }
                    if (!versions.contains(version)) {
                        throw new ModelException("unknown version " + version);
                    }
                    cameraModels.put(cameraId, version);
                    return descriptor(version);
                }

                @Override
                public ModelDescriptor rollback(String cameraId) throws ModelException {
                    if (cameraId == null) {
                        return rollback();
                    }
                    if (cameraModels.remove(cameraId) == null) {
                        throw new ModelException("camera " + cameraId + " has no model of its own");
                    }
                    return descriptor(active);
                }
            };
        }

        @Override
        public MotionService motionService() {
            if (!motion) {
                return null;
            }
            return new MotionService() {
                @Override
                public boolean reset(String cameraId) {
                    if (!cameraId.equals("cam-1")) {
                        return false;
                    }
                    resets.add(cameraId);
                    return true;
                }

                @Override
                public double skipRatio(String cameraId) {
                    return cameraId.equals("cam-1") ? 0.75 : -1;
                }
            };
        }

        @Override
        public DetectorService detectorService() {
            return null;
        }

        @Override
        public Collection<CameraService> cameras() {
            Throwable fail = camerasFail;
            if (fail instanceof Error e) {
                throw e;
            }
            if (fail instanceof RuntimeException e) {
                throw e;
            }
            return List.of(new CameraService() {
                @Override
                public String cameraId() {
                    return "cam-1";
                }

                @Override
                public CameraStatus status() {
                    return new CameraStatus("cam-1", CameraStatus.State.RUNNING, null, "vtest.avi", 10, 10, 0, 10.0,
                            768, 576, System.currentTimeMillis(), 0);
                }
            });
        }

        @Override
        public SamplingService samplingService() {
            if (!sampling) {
                return null;
            }
            return (cameraId, reason) -> {
                if (cameraId != null && !cameraId.equals("cam-1")) {
                    throw new IllegalArgumentException("no camera '" + cameraId + "'");
                }
                return 1;
            };
        }

        @Override
        public SnapshotSource snapshots() {
            return snapshots;
        }

        @Override
        public Path workDirectory() {
            return work;
        }
    }
}

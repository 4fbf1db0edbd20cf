package io.edgetune.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.edgetune.cloud.mqtt.codec.KuraPayloadCodec;
import io.edgetune.model.delivery.DeliveryOutcome;
import io.edgetune.model.delivery.ModelPackager;
import io.edgetune.model.delivery.ModelSender;
import io.edgetune.api.detect.Detection;
import io.edgetune.api.model.ModelDescriptor;
import io.edgetune.trainer.LabelledImage;
import io.edgetune.trainer.ModelJudge;
import io.edgetune.trainer.TrainerSettings;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.eclipse.kura.message.KuraPayload;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.After;
import org.junit.Test;

/**
 * The whole self-improvement loop with the shipped runtimes, two JVMs on
 * loopback: the annotator runtime (hosting the MQTT broker, as a cloud would)
 * and the gateway runtime playing the sample video as a live camera. The
 * gateway uploads samples, the annotator labels them with the teacher,
 * retrains the class heads once it has both splits, proves the new model on
 * the validation frames, signs it and sends it in chunks; the gateway verifies
 * and hot-swaps it and its detection messages then carry the new version. The
 * test then judges the model the gateway installed itself, without the
 * annotator's record: the delivered file and the base model on the annotator's
 * validation frames (held out from training by the split rule, labelled by the
 * teacher), each at thresholds chosen by the same procedure on the training
 * frames; the delivered model must not rank worse (AP@0.5) and must report
 * better (F1). A tampered package and one signed by another key are then
 * refused and change nothing. The figures of the run are printed and written
 * to target/loop/report.md.
 */
public class SelfImprovementLoopTest {

    private static final String GATEWAY = "loop-gw";

    private final List<Process> processes = new ArrayList<>();
    private MqttClient watcher;
    private MqttClient requester;

    @After
    public void stop() throws Exception {
        for (MqttClient c : new MqttClient[] {watcher, requester}) {
            if (c != null) {
                try {
                    c.disconnectForcibly(1000);
                    c.close(true);
                } catch (Exception e) {
                    // the broker may be gone already
                }
            }
        }
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    @Test
    public void gatewayRunsTheModelRetrainedOnItsOwnSamples() throws Exception {
        Path runtimes = Paths.get(System.getProperty("edgetune.itest.runtimes", "..")).toAbsolutePath().normalize();
        Path repo = runtimes.getParent();
        Path assets = Paths.get(System.getProperty("edgetune.assets", System.getProperty("user.home") + "/.cache/edgetune"));
        Path work = Paths.get("target", "loop").toAbsolutePath();
        deleteTree(work);
        int port = freePort();
        int reviewPort = freePort();
        Path key = repo.resolve("configs/keys/demo-model-signing.pem");

        // The gateway starts with a model that ranks people worse than the teacher's (the base model with its Person
        // head blurred): a model the loop can really improve. With the shipped base model the fair publication rule
        // rarely finds a round better on the few frames this test has (docs/annotator.md).
        Path gatewayAssets = Files.createDirectories(work.resolve("gateway-assets"));
        Files.write(gatewayAssets.resolve("ssd_mobilenetv2_oidv4_fp16.tflite"), io.edgetune.trainer.DamagedModels.personRanksWorse(
                Files.readAllBytes(assets.resolve("ssd_mobilenetv2_oidv4_fp16.tflite")), labels(assets), 7));
        Files.copy(assets.resolve("oidv4_labelmap.txt"), gatewayAssets.resolve("oidv4_labelmap.txt"));
        Path gatewayModel = gatewayAssets.resolve("ssd_mobilenetv2_oidv4_fp16.tflite");

        // the annotator: shipped configuration (its teacher runs the real base model), short split blocks so that 80 s of
        // video make both splits; it retrains from the model the gateway runs
        Path annotatorDir = prepare(work.resolve("annotator"), repo.resolve("configs/standalone/annotator"), "annotator");
        Path annotatorCfg = annotatorDir.resolve("configs/standalone/annotator/io.edgetune.annotator.Annotator.cfg");
        Files.writeString(annotatorCfg, Files.readString(annotatorCfg).replaceAll("(?m)^base\\.model\\.path=.*$",
                java.util.regex.Matcher.quoteReplacement("base.model.path=" + gatewayModel)));
        long started = System.currentTimeMillis();
        start(annotatorDir, runtimes.resolve("annotator/target/edgetune-annotator.jar"), List.of(
                "-Dedgetune.mqtt.port=" + port, "-Dedgetune.annotator.broker=true", "-Dedgetune.assets=" + assets,
                "-Dedgetune.signing.key=" + key, "-Dedgetune.split.block.seconds=12", "-Dedgetune.train.min.images=16",
                "-Dedgetune.train.min.validation=5", "-Dedgetune.train.every.new.images=26",
                "-Dorg.osgi.service.http.port=" + reviewPort));
        waitForPort(port, Duration.ofSeconds(90));

        // the gateway: shipped configuration plus a cloud connection to that broker and frequent sampling
        Path gatewayDir = prepare(work.resolve("gateway"), repo.resolve("configs/standalone/gateway"), "gateway");
        Path gwConfigs = gatewayDir.resolve("configs/standalone/gateway");
        Files.writeString(gwConfigs.resolve("io.edgetune.cloud.mqtt.Connection.cfg"), String.join("\n",
                "broker.url=tcp://127.0.0.1:" + port, "account.name=edgetune", "client.id=" + GATEWAY,
                "outbox.dir=runtime-data/gateway/outbox", ""));
        Files.writeString(gwConfigs.resolve("io.edgetune.uploader.Uploader.cfg"), String.join("\n",
                // one sample every 2 s and no other policy, so the bytes uploaded are those of a known rate
                "sample.interval.s=2", "sample.novelty.threshold=0", "sample.uncertain.low=0", "sample.uncertain.high=0",
                "sample.rare.percent=0", "sample.motion.static.s=-1", "sample.quota.per.hour=0",
                "sample.budget.bytes.per.hour=0", "sample.queue.size=4", ""));

        AtomicLong sampleBytes = new AtomicLong();
        AtomicLong samples = new AtomicLong();
        Set<String> versions = ConcurrentHashMap.newKeySet();
        Map<String, Long> firstSeen = new ConcurrentHashMap<>();
        watcher = new MqttClient("tcp://127.0.0.1:" + port, "loop-watcher", new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        watcher.connect(o);
        watcher.subscribe("edgetune/" + GATEWAY + "/EDGETUNE/#", 1, (topic, msg) -> {
            if (topic.contains("/samples/")) {
                samples.incrementAndGet();
                sampleBytes.addAndGet(msg.getPayload().length);
            } else if (topic.contains("/detections/")) {
                KuraPayload p = KuraPayloadCodec.decode(msg.getPayload());
                Object v = p.getMetric("model.version");
                if (v instanceof String s) {
                    versions.add(s);
                    firstSeen.putIfAbsent(s, System.currentTimeMillis());
                }
            }
        });

        start(gatewayDir, runtimes.resolve("gateway/target/edgetune-gateway.jar"), List.of(
                "-Dedgetune.video=" + assets.resolve("vtest.avi"), "-Dedgetune.assets=" + gatewayAssets, "-Dedgetune.mqtt.port=" + port,
                "-Dedgetune.data=" + gatewayDir.resolve("data"),
                "-Dorg.osgi.service.http.port=" + freePort()));

        // the loop closes when the gateway's detections name a model the annotator made (camera-time version)
        long deadline = System.currentTimeMillis() + Duration.ofMinutes(9).toMillis();
        String retrained = null;
        String lastState = "";
        Set<String> rejectedRounds = new java.util.HashSet<>();
        while (retrained == null && System.currentTimeMillis() < deadline) {
            for (String v : versions) {
                if (v.startsWith("plaza-")) {
                    retrained = v;
                }
            }
            lastState = get(reviewPort, "api/training").orElse(lastState);
            // the publication rule is honest: a round on few frames may lose, and the next round (more frames) tries
            // again; three lost rounds end the wait
            JsonObject state = object(lastState);
            if (retrained == null && state != null && "REJECTED".equals(string(state, "state"))
                    && rejectedRounds.add(String.valueOf(state.get("startedMillis")))) {
                System.out.println("loop: round rejected, waiting for the next one: " + lastState);
                if (rejectedRounds.size() >= 3) {
                    break;
                }
            }
            for (Process p : processes) {
                assertTrue("a runtime exited early; see " + work, p.isAlive());
            }
            Thread.sleep(1000);
        }
        assertNotNull("the gateway never reported a retrained model; the annotator's retraining status: " + lastState
                + "; logs in " + work, retrained);
        assertTrue("versions seen: " + versions, versions.contains("base-oidv4"));

        // the delivered model judged here on frames it was not trained on, against the base model
        Path delivered = findDelivered(gatewayDir, retrained);
        assertNotNull("the gateway's model store holds no model of version " + retrained, delivered);
        Path dataset = annotatorDir.resolve("annotator-data/" + GATEWAY + "/plaza");
        List<String> labels = labels(assets);
        List<LabelledImage> trainFrames = coco(dataset, "instances_train.json", labels);
        List<LabelledImage> heldOut = coco(dataset, "instances_val.json", labels);
        assertTrue("held-out frames: " + heldOut.size(), heldOut.size() >= 5);
        java.util.Set<String> tuned = new java.util.TreeSet<>();
        trainFrames.forEach(f -> f.truth().forEach(t -> tuned.add(t.label())));
        float gatewayThreshold = Float.parseFloat(property(repo.resolve("configs/standalone/gateway/io.edgetune.inference.Detector.cfg"),
                "score.threshold"));
        long judgeStart = System.currentTimeMillis();
        ModelJudge.Verdict verdict = new ModelJudge(TrainerSettings.defaults().withScoreThreshold(gatewayThreshold)).judge(
                Files.readAllBytes(gatewayModel), Files.readAllBytes(delivered), labels,
                trainFrames, heldOut, tuned);
        String judged = String.format(Locale.ROOT, "%d held-out frames (%d truths), thresholds chosen on %d training frames: AP@0.5 base "
                        + "%.3f, delivered %.3f; F1 base at %.2f %.3f, base at its chosen thresholds %.3f, delivered %.3f (%+.3f from "
                        + "thresholds alone, %+.3f from the new weights); judged in %d ms", heldOut.size(), verdict.candidate().truths(),
                trainFrames.size(), verdict.baseTuned().ap50(), verdict.candidate().ap50(), gatewayThreshold,
                ModelJudge.f1(verdict.baseAtGateway()), ModelJudge.f1(verdict.baseTuned()), ModelJudge.f1(verdict.candidate()),
                verdict.thresholdGain(), verdict.weightsGain(), System.currentTimeMillis() - judgeStart);
        System.out.println("judged by the test: " + judged);
        assertTrue("the delivered model ranks the held-out persons worse than the gateway's old model: " + judged,
                verdict.candidate().ap50() >= verdict.baseTuned().ap50());
        assertTrue("the delivered model is not better than the base judged the same way: " + judged,
                ModelJudge.f1(verdict.candidate()) > ModelJudge.f1(verdict.baseTuned()));
        Path roundsLog = dataset.resolve("rounds.log");
        String round = Files.exists(roundsLog) ? Files.readAllLines(roundsLog).get(0) : "(no rounds.log)";

        // the review page of the running annotator lists the camera's dataset
        java.net.http.HttpResponse<String> page = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + reviewPort + "/edgetune/review/api/datasets")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(page.body(), 200, page.statusCode());
        assertTrue(page.body(), page.body().contains("\"" + GATEWAY + "\"") && page.body().contains("\"plaza\""));

        // the model on the gateway is the one the annotator stored, byte for byte
        Path stored = annotatorDir.resolve("annotator-models").resolve(retrained).resolve("model.tflite");
        assertTrue(stored.toString(), Files.exists(stored));
        assertEquals("the gateway installed the model the annotator stored", ModelPackager.sha256Hex(Files.readAllBytes(stored)),
                ModelPackager.sha256Hex(Files.readAllBytes(delivered)));

        // tampered packages are refused and the gateway keeps the retrained model
        requester = new MqttClient("tcp://127.0.0.1:" + port, "loop-requester", new MemoryPersistence());
        requester.connect(o);
        byte[] model = Files.readAllBytes(stored);
        PrivateKey demoKey = ModelPackager.privateKey(Files.readString(key, StandardCharsets.UTF_8));
        ModelDescriptor d = new ModelDescriptor("tampered-1", ModelPackager.sha256Hex(model), labels, 300, 300,
                "ssd-mobilenet-v2:300", retrained, Map.of(), System.currentTimeMillis(), false);
        byte[] good = ModelPackager.build(model, d, demoKey);
        byte[] flipped = flipModelByte(good, model);
        KeyPair stranger = ModelPackager.generateKeyPair();
        byte[] foreign = ModelPackager.build(model, new ModelDescriptor("tampered-2", d.sha256(), d.labels(), 300, 300, d.anchors(),
                retrained, Map.of(), d.createdMillis(), false), stranger.getPrivate());
        try (ModelSender sender = new ModelSender(requester, "edgetune", ModelSender.Options.defaults())) {
            DeliveryOutcome a = sender.send(GATEWAY, flipped, true);
            assertFalse("a package whose model does not match its signed hash must be refused: " + a, a.accepted());
            assertEquals(a.toString(), 400, a.responseCode());
            DeliveryOutcome b = sender.send(GATEWAY, foreign, true);
            assertFalse("a package signed by an untrusted key must be refused: " + b, b.accepted());
            assertEquals(b.toString(), 400, b.responseCode());
            report(work, started, samples.get(), sampleBytes.get(), round, retrained, firstSeen, a, b, judged);
        }
        long after = System.currentTimeMillis();
        versions.clear();
        while (versions.isEmpty() && System.currentTimeMillis() < after + 60_000) {
            Thread.sleep(500);
        }
        assertEquals("after the refusals the gateway still runs the retrained model", Set.of(retrained), Set.copyOf(versions));
        assertNotEquals(0, samples.get());
    }

    /** A copy of the package with one byte of the model changed after signing (zip stored uncompressed or not: rebuilt). */
    private static byte[] flipModelByte(byte[] signedPackage, byte[] model) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(signedPackage));
             java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(out)) {
            java.util.zip.ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                byte[] content = in.readAllBytes();
                if (e.getName().equals(ModelPackager.MODEL)) {
                    content = content.clone();
                    content[content.length / 2] ^= 0x01;
                }
                z.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
                z.write(content);
                z.closeEntry();
            }
        }
        return out.toByteArray();
    }

    private static void report(Path work, long started, long samples, long sampleBytes, String round, String version,
                               Map<String, Long> firstSeen, DeliveryOutcome tampered, DeliveryOutcome foreign, String judged)
            throws IOException {
        StringBuilder r = new StringBuilder();
        r.append("# Self-improvement loop, measured\n\n");
        r.append("- the delivered model judged by the test: ").append(judged).append('\n');
        r.append(String.format(Locale.ROOT, "- samples uploaded: %d, %.1f KiB (%.1f KiB each)%n", samples, sampleBytes / 1024.0,
                samples == 0 ? 0 : sampleBytes / 1024.0 / samples));
        r.append("- the annotator's own record of the round (not used to decide):\n");
        for (String m : new String[] {"edge.recall", "edge.precision", "edge.boxes", "base.ap50", "retrained.ap50", "base.f1", "base.tuned.f1",
                "retrained.f1", "gain.thresholds.f1", "gain.weights.f1", "base.images", "base.truths", "train.images", "train.positives",
                "train.epochs", "train.ms"}) {
            r.append(String.format(Locale.ROOT, "  - %s: %s%n", m, metric(round, m)));
        }
        JsonObject record = object(round);
        r.append("- delivery: ").append(record == null || record.get("delivery") == null ? "?" : record.get("delivery")).append('\n');
        r.append(String.format(Locale.ROOT, "- retrained model %s first reported by the gateway %.0f s after the annotator started%n",
                version, (firstSeen.get(version) - started) / 1000.0));
        r.append("- tampered package: ").append(tampered.responseCode()).append(' ').append(tampered.message()).append('\n');
        r.append("- package signed by another key: ").append(foreign.responseCode()).append(' ').append(foreign.message()).append('\n');
        r.append("\nround record: ").append(round).append('\n');
        Files.writeString(work.resolve("report.md"), r);
        System.out.println(r);
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.3f", v);
    }

    /** A figure of the round record's metrics, "?" when the record or the figure is missing. */
    private static String metric(String round, String name) {
        JsonObject record = object(round);
        JsonElement metrics = record == null ? null : record.get("metrics");
        JsonElement v = metrics != null && metrics.isJsonObject() ? metrics.getAsJsonObject().get(name) : null;
        return v != null && v.isJsonPrimitive() && v.getAsJsonPrimitive().isNumber() ? fmt(v.getAsDouble()) : "?";
    }

    /** The JSON object in {@code text}, or null when the text is not one (an API call that failed, no rounds.log). */
    private static JsonObject object(String text) {
        try {
            JsonElement e = JsonParser.parseString(text);
            return e.isJsonObject() ? e.getAsJsonObject() : null;
        } catch (JsonParseException e) {
            return null;
        }
    }

    private static String string(JsonObject o, String name) {
        JsonElement v = o == null ? null : o.get(name);
        return v != null && v.isJsonPrimitive() ? v.getAsString() : null;
    }

    /** The body of a review API call, empty when it fails (the annotator may be busy or starting). */
    private static java.util.Optional<String> get(int port, String api) {
        try {
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + port + "/edgetune/review/" + api)).timeout(Duration.ofSeconds(5)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? java.util.Optional.of(r.body()) : java.util.Optional.empty();
        } catch (IOException e) {
            return java.util.Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.Optional.empty();
        }
    }

    /** The model file of a version in the gateway's model store (the directory whose manifest names that version). */
    private static Path findDelivered(Path dir, String version) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path manifest = p.resolveSibling("manifest.json");
                if (p.getFileName().toString().equals("model.tflite") && Files.isRegularFile(manifest)
                        && version.equals(string(object(Files.readString(manifest)), "version"))) {
                    return p;
                }
            }
        }
        return null;
    }

    /** The teacher-labelled frames of one split of the annotator's COCO dataset, as images with their boxes. */
    private static List<LabelledImage> coco(Path dataset, String file, List<String> labels) throws IOException {
        String json = Files.readString(dataset.resolve("annotations").resolve(file));
        JsonObject doc = JsonParser.parseString(json).getAsJsonObject();
        Map<Long, String> names = new java.util.LinkedHashMap<>();
        for (JsonElement e : doc.getAsJsonArray("images")) {
            JsonObject img = e.getAsJsonObject();
            names.put(img.get("id").getAsLong(), img.get("file_name").getAsString());
        }
        Map<Long, List<Detection>> boxes = new java.util.HashMap<>();
        for (JsonElement e : doc.getAsJsonArray("annotations")) {
            JsonObject a = e.getAsJsonObject();
            JsonArray b = a.getAsJsonArray("bbox");
            int c = a.get("category_id").getAsInt();
            boxes.computeIfAbsent(a.get("image_id").getAsLong(), k -> new ArrayList<>()).add(new Detection(c, labels.get(c),
                    a.get("score").getAsFloat(), b.get(0).getAsFloat(), b.get(1).getAsFloat(), b.get(2).getAsFloat(),
                    b.get(3).getAsFloat()));
        }
        List<LabelledImage> out = new ArrayList<>();
        names.forEach((id, name) -> out.add(new LabelledImage(dataset.resolve("images").resolve(name), boxes.getOrDefault(id, List.of()))));
        return out;
    }

    private static String property(Path cfg, String key) throws IOException {
        for (String line : Files.readAllLines(cfg)) {
            if (line.startsWith(key + "=")) {
                return line.substring(key.length() + 1).trim();
            }
        }
        throw new AssertionError(key + " not in " + cfg);
    }

    private static List<String> labels(Path assets) throws IOException {
        List<String> out = new ArrayList<>();
        for (String l : Files.readAllLines(assets.resolve("oidv4_labelmap.txt"))) {
            if (!l.isBlank()) {
                out.add(l.trim());
            }
        }
        return out;
    }

    /** A working directory laid out as the runtime expects (configs/standalone/{runtime}/ relative to it). */
    private static Path prepare(Path dir, Path shippedConfigs, String runtime) throws IOException {
        Path configs = dir.resolve("configs/standalone").resolve(runtime);
        Files.createDirectories(configs);
        try (Stream<Path> files = Files.list(shippedConfigs)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, configs.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return dir;
    }

    private void start(Path dir, Path jar, List<String> props) throws IOException {
        assertTrue(jar + " missing: build the runtimes first", Files.exists(jar));
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx2g");
        cmd.addAll(props);
        cmd.add("-jar");
        cmd.add(jar.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve("console.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.PIPE);
        processes.add(pb.start());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void waitForPort(int port, Duration limit) throws InterruptedException {
        long end = System.currentTimeMillis() + limit.toMillis();
        while (System.currentTimeMillis() < end) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(500);
            }
        }
        throw new AssertionError("the annotator's broker did not open port " + port + " within " + limit);
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> all = Files.walk(p)) {
            all.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}

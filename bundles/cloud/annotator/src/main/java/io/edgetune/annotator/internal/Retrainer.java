package io.edgetune.annotator.internal;

import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.edgetune.api.annotate.TrainingStatus;
import io.edgetune.api.detect.Detection;
import io.edgetune.api.model.ModelDescriptor;
import io.edgetune.model.delivery.DeliveryOutcome;
import io.edgetune.model.delivery.ModelPackager;
import io.edgetune.trainer.Evaluation;
import io.edgetune.modelpackage.Builds;
import io.edgetune.modelpackage.ModelPackages;
import io.edgetune.modelpackage.PackageLayout;
import io.edgetune.trainer.HeadTrainer;
import io.edgetune.trainer.Int8Build;
import io.edgetune.trainer.LabelledImage;
import io.edgetune.trainer.ModelJudge;
import io.edgetune.trainer.TrainerSettings;
import io.edgetune.trainer.TrainingException;
import io.edgetune.trainer.TrainingProgress;
import io.edgetune.trainer.TrainingResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.PrivateKey;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retraining rounds, one at a time on their own thread: the camera's training
 * split goes to the {@link HeadTrainer} with the model the gateway runs as the
 * base; the result is evaluated on the validation split against the teacher
 * labels, and only a model that beats the gateway's when both are judged the
 * same way ({@link ModelJudge.Verdict#publishable()}) is stored, signed and delivered. Every round, delivered or not, is appended to the dataset's
 * {@code rounds.log} (one JSON object per line) with its figures and the
 * gateway's answer.
 *
 * <p>With int8 builds on (the default), every round also makes the full-integer build of the retrained model and of
 * the gateway's model, both calibrated on the camera's training frames ({@link Int8Build}), and the publication
 * rule judges those: they are what the gateway runs (an Edge TPU build is compiled from the int8 one, so the int8
 * figures stand in for it). The float figures stay in the record. When an Edge TPU compiler is found, the int8
 * build is compiled too and shipped as {@code model_edgetpu.tflite} in the same signed package; a failed compile
 * is recorded and the round still ships the int8 and float builds.
 */
public final class Retrainer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Retrainer.class);
    private static final DateTimeFormatter VERSION_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    /** Everything a round needs besides the dataset. */
    public record Settings(boolean auto, int minTrain, int minValidation, int everyNew, TrainerSettings trainer,
                           Path baseModel, String baseVersion, Path modelsRoot, Path signingKey, boolean deliver,
                           int chunkBytes, long timeoutMillis, List<String> labels, int inputWidth, int inputHeight,
                           String anchors, String account, String clientId, boolean int8, String edgeTpuCompiler,
                           int edgeTpuTimeoutSeconds) {

        static Settings from(AnnotatorComponent.Config c, ModelDescriptor active) {
            String key = c.signing_key_file().trim();
            return new Settings(c.train_auto(), c.train_min_images(), c.train_min_validation(), c.train_every_new_images(),
                    TrainerSettings.defaults().withEpochs(c.train_epochs()).withScoreThreshold(c.gateway_score_threshold()), Paths.get(expandHome(c.base_model_path())),
                    c.base_model_version(), Paths.get(c.models_root()), key.isEmpty() ? null : Paths.get(expandHome(key)),
                    c.deliver(), c.delivery_chunk_kib() * 1024, c.delivery_timeout_seconds() * 1000L, active.labels(),
                    active.inputWidth(), active.inputHeight(), active.anchors(), c.account(), c.client_id(), c.int8_build(),
                    c.edgetpu_compiler(), c.edgetpu_timeout_seconds());
        }
    }

    /** Sends a signed package to a gateway and waits for its answer. */
    @FunctionalInterface
    public interface Delivery {
        DeliveryOutcome deliver(String gateway, byte[] modelPackage) throws Exception;
    }

    private final Settings settings;
    private final AtomicBoolean running = new AtomicBoolean();
    private final Map<String, Integer> newSinceRound = new ConcurrentHashMap<>();
    private volatile SampleIngest ingest;
    private volatile Delivery delivery;
    private volatile TrainingStatus status = TrainingStatus.idle();
    private volatile boolean closed;
    private volatile Thread worker;
    private volatile String lastRoundMessage;
    /** Null when there is no Edge TPU compiler; then {@link #noCompiler} says why, once. */
    private final EdgeTpuCompiler compiler;
    private final String noCompiler;
    private final AtomicBoolean noCompilerShown = new AtomicBoolean();
    /** Calibration frames per int8 build: spread over the training split. */
    static final int MAX_CALIBRATION_IMAGES = 100;

    public Retrainer(Settings settings) {
        this.settings = settings;
        StringBuilder why = new StringBuilder();
        this.compiler = settings.int8() ? EdgeTpuCompiler.locate(settings.edgeTpuCompiler(), System.getenv("PATH"),
                settings.edgeTpuTimeoutSeconds() * 1000L, why) : null;
        this.noCompiler = compiler != null || !settings.int8() ? null : why + ": rounds ship the int8 and float builds, no Edge TPU build";
        if (compiler != null) {
            LOG.info("Edge TPU builds on: rounds compile the int8 build with {}", compiler.executable());
        } else if (noCompiler != null) {
            LOG.info("Edge TPU builds off: {}", noCompiler);
        }
    }

    static String expandHome(String path) {
        return path.replace("${user.home}", System.getProperty("user.home")).replaceFirst("^~(?=/|$)", System.getProperty("user.home"));
    }

    void attach(SampleIngest i) {
        this.ingest = i;
    }

    void delivery(Delivery d) {
        this.delivery = d;
    }

    /**
     * Counts a new labelled sample; starts a round when automatic rounds are on and the camera has enough.
     * Otherwise the status says what the next round waits for (the review page shows it).
     */
    void sampleAdded(String gateway, String camera) {
        String key = gateway + "/" + camera;
        int fresh = newSinceRound.merge(key, 1, Integer::sum);
        if (running.get()) {
            return;
        }
        CocoDataset d = ingest == null ? null : ingest.datasets().get(key);
        if (d == null) {
            return;
        }
        // one pass over the labels (the temporal check runs on every sample), counted per split
        int train = 0;
        int val = 0;
        for (CocoDataset.Labelled l : d.labelled(null, false)) {
            switch (d.rule().splitOf(l.sample().timestampMillis())) {
                case TRAIN -> train++;
                case VAL -> val++;
                default -> { }
            }
        }
        String waiting = waitingFor(settings, fresh, train, val);
        if (waiting == null) {
            request(gateway, camera);
        } else {
            waiting(gateway, camera, waiting);
        }
    }

    /**
     * What the next automatic round of a camera waits for, for people ("waiting for 37 more new frames (23/60),
     * 8 more validation frames (2/10)"); null when it may start now.
     */
    static String waitingFor(Settings s, int fresh, int train, int val) {
        if (!s.auto()) {
            return "automatic rounds are off: start one with Retrain now";
        }
        List<String> need = new ArrayList<>();
        if (fresh < s.everyNew()) {
            need.add((s.everyNew() - fresh) + " more new labelled frames (" + fresh + "/" + s.everyNew() + ")");
        }
        if (train < s.minTrain()) {
            need.add((s.minTrain() - train) + " more training frames (" + train + "/" + s.minTrain() + ")");
        }
        if (val < s.minValidation()) {
            need.add((s.minValidation() - val) + " more validation frames (" + val + "/" + s.minValidation() + ")");
        }
        return need.isEmpty() ? null : "next round waiting for " + String.join(", ", need);
    }

    /** Shows what the next round waits for, keeping the last round's state and figures when there was one. */
    private void waiting(String gateway, String camera, String what) {
        TrainingStatus s = status;
        long now = System.currentTimeMillis();
        if (running.get()) {
            return;
        }
        if (s.state().equals("IDLE") || s.state().equals("WAITING")) {
            status = new TrainingStatus("WAITING", gateway, camera, 0, 0, Double.NaN, -1, 0, now, Map.of(), null,
                    gateway + "/" + camera + ": " + what);
        } else {
            String last = lastRoundMessage != null ? lastRoundMessage : s.message();
            status = new TrainingStatus(s.state(), s.gateway(), s.camera(), s.epoch(), s.epochs(), s.loss(), s.etaMillis(),
                    s.startedMillis(), now, s.metrics(), s.modelVersion(), last + "; " + gateway + "/" + camera + ": " + what);
        }
    }

    /** Starts a round for the camera on the round thread; false when one runs already or the annotator closes. */
    public boolean request(String gateway, String camera) {
        if (closed || !running.compareAndSet(false, true)) {
            return false;
        }
        newSinceRound.put(gateway + "/" + camera, 0);
        lastRoundMessage = null;
        long now = System.currentTimeMillis();
        status = new TrainingStatus("EXTRACTING", gateway, camera, 0, 0, Double.NaN, -1, now, now, Map.of(), null, "starting");
        Thread t = new Thread(() -> {
            try {
                round(gateway, camera);
            } catch (Exception | LinkageError e) {
                LOG.warn("retraining round for {}/{} failed: {}", gateway, camera, e.toString());
                update("FAILED", e.getMessage() == null ? e.toString() : e.getMessage());
            } finally {
                running.set(false);
            }
        }, "edgetune-retrain");
        t.setDaemon(true);
        worker = t;
        t.start();
        return true;
    }

    public TrainingStatus status() {
        return status;
    }

    private void update(String state, String message) {
        TrainingStatus s = status;
        status = new TrainingStatus(state, s.gateway(), s.camera(), s.epoch(), s.epochs(), s.loss(), state.equals("DONE")
                || state.equals("FAILED") || state.equals("REJECTED") ? 0 : s.etaMillis(), s.startedMillis(),
                System.currentTimeMillis(), s.metrics(), s.modelVersion(), message);
        lastRoundMessage = message;
    }

    private void round(String gateway, String camera) throws Exception {
        SampleIngest i = ingest;
        CocoDataset d = i == null ? null : i.datasets().get(gateway + "/" + camera);
        if (d == null) {
            throw new IllegalStateException("no dataset for " + gateway + "/" + camera);
        }
        List<LabelledImage> train = images(d, SplitRule.Split.TRAIN);
        List<LabelledImage> val = images(d, SplitRule.Split.VAL);
        if (train.isEmpty() || val.isEmpty()) {
            throw new IllegalStateException("need labelled frames in both splits, have " + train.size() + " training and "
                    + val.size() + " validation frames");
        }
        String gatewayVersion = i.gatewayModel(gateway, camera);
        if (gatewayVersion == null) {
            gatewayVersion = settings.baseVersion();
        }
        Path base = gatewayVersion.equals(settings.baseVersion()) ? settings.baseModel()
                : settings.modelsRoot().resolve(gatewayVersion).resolve(ModelPackager.MODEL);
        if (!Files.isRegularFile(base)) {
            throw new IllegalStateException("the gateway runs model " + gatewayVersion + ", whose file " + base + " the annotator does not have");
        }
        LOG.info("retraining round for {}/{}: {} training and {} validation frames, base {}", gateway, camera, train.size(),
                val.size(), gatewayVersion);
        TrainingResult r = new HeadTrainer(settings.trainer()).train(base, settings.labels(), train, val, this::progress,
                () -> closed);
        Map<String, Double> metrics = new LinkedHashMap<>();
        agreement(d, metrics);
        ModelJudge.Verdict v = r.verdict();
        put(metrics, "base", v.baseAtGateway());
        put(metrics, "base.tuned", v.baseTuned());
        put(metrics, "retrained", v.candidate());
        metrics.put("gain.thresholds.f1", v.thresholdGain());
        metrics.put("gain.weights.f1", v.weightsGain());
        metrics.put("gain.weights.ap50", v.apGain());
        metrics.put("gateway.threshold", (double) settings.trainer().scoreThreshold());
        metrics.put("train.images", (double) r.trainImages());
        metrics.put("train.positives", (double) r.positives());
        metrics.put("train.epochs", (double) r.epochs());
        metrics.put("train.ms", (double) r.trainMillis());
        r.thresholds().forEach((label, t) -> metrics.put("threshold." + label, t));
        v.baseThresholds().forEach((label, t) -> metrics.put("base.threshold." + label, t));
        byte[] int8 = null;
        byte[] edgeTpu = null;
        ModelJudge.Verdict judged = v;
        String int8Note = null;
        JsonObject edgeTpuNote = null;
        if (settings.int8()) {
            try {
                List<LabelledImage> calibration = spread(train, MAX_CALIBRATION_IMAGES);
                message("int8 builds: calibrating the gateway's and the retrained model on " + calibration.size() + " training frames");
                byte[] baseInt8 = baseInt8(base, calibration);
                Int8Build.Result q = Int8Build.build(r.model(), calibration, settings.trainer(), () -> closed);
                message("int8 builds: judging on the validation frames");
                Set<String> tuned = new HashSet<>(v.candidateThresholds().keySet());
                tuned.addAll(v.baseThresholds().keySet());
                ModelJudge.Verdict qv = new ModelJudge(settings.trainer()).judge(baseInt8, q.model(), settings.labels(), train, val, tuned);
                put(metrics, "int8.base", qv.baseAtGateway());
                put(metrics, "int8.base.tuned", qv.baseTuned());
                put(metrics, "int8.retrained", qv.candidate());
                metrics.put("int8.gain.weights.f1", qv.weightsGain());
                metrics.put("int8.gain.weights.ap50", qv.apGain());
                metrics.put("int8.calibration.images", (double) q.images());
                qv.candidateThresholds().forEach((label, t) -> metrics.put("int8.threshold." + label, t));
                int8 = q.model();
                judged = qv;
                int8Note = q.description();
            } catch (TrainingException e) {
                if (e.cancelled()) {
                    throw e;
                }
                int8Note = "int8 build failed, the float build is judged and shipped alone: " + e.getMessage();
                LOG.warn("{}/{}: {}", gateway, camera, int8Note);
            }
        }
        if (int8 != null && compiler != null) {
            message("Edge TPU build: compiling the int8 build");
            EdgeTpuCompiler.Outcome c = compiler.compile(int8);
            edgeTpuNote = new JsonObject();
            edgeTpuNote.addProperty("compiler", compiler.executable().toString());
            edgeTpuNote.addProperty("log", c.log());
            if (c.model() != null) {
                edgeTpu = c.model();
                edgeTpuNote.addProperty("bytes", edgeTpu.length);
                LOG.info("{}/{}: Edge TPU build compiled ({} bytes)", gateway, camera, edgeTpu.length);
            } else {
                edgeTpuNote.addProperty("failure", c.failure());
                LOG.warn("{}/{}: Edge TPU compile failed, the round ships the int8 and float builds: {}; compiler output: {}", gateway,
                        camera, c.failure(), c.log());
            }
        }
        String judgedText = gains(judged, gatewayVersion) + (int8 != null ? " (int8 builds, what the gateway runs)" : "");
        TrainingStatus s = status;
        status = new TrainingStatus("EVALUATING", gateway, camera, s.epoch(), s.epochs(), s.loss(), 0, s.startedMillis(),
                System.currentTimeMillis(), Map.copyOf(metrics), null, judgedText);
        JsonObject record = new JsonObject();
        record.addProperty("time", System.currentTimeMillis());
        record.addProperty("gateway", gateway);
        record.addProperty("camera", camera);
        record.addProperty("base", gatewayVersion);
        record.add("metrics", figures(metrics));
        record.addProperty("judged", judgedText);
        if (int8Note != null) {
            record.addProperty("int8", int8Note);
        }
        if (edgeTpuNote != null) {
            record.add("edgetpu", edgeTpuNote);
        }
        if (!judged.publishable()) {
            record.addProperty("outcome", "not better than the gateway's model: not published");
            appendRound(d, record);
            update("REJECTED", "not published: " + judgedText + once());
            LOG.info("retrained model for {}/{} not published: {}", gateway, camera, judgedText);
            return;
        }
        String version = camera + "-" + VERSION_TIME.format(java.time.Instant.now());
        ModelDescriptor desc = new ModelDescriptor(version, ModelPackager.sha256Hex(r.model()), settings.labels(),
                settings.inputWidth(), settings.inputHeight(), settings.anchors(), gatewayVersion, Map.copyOf(metrics),
                System.currentTimeMillis(), false);
        store(version, r.model(), int8, edgeTpu, desc);
        record.addProperty("version", version);
        status = new TrainingStatus("DELIVERING", gateway, camera, status.epoch(), status.epochs(), status.loss(), -1,
                status.startedMillis(), System.currentTimeMillis(), Map.copyOf(metrics), version, "model " + version + " stored");
        LOG.info("retrained model {} for {}/{}: {}", version, gateway, camera, judgedText);
        Delivery dl = delivery;
        if (!settings.deliver() || settings.signingKey() == null || dl == null) {
            String why = !settings.deliver() ? "delivery is off" : settings.signingKey() == null ? "no signing key configured"
                    : "no connection to the gateways";
            record.addProperty("outcome", "stored, not delivered: " + why);
            appendRound(d, record);
            update("DONE", "model " + version + " stored, not delivered: " + why + once());
            return;
        }
        PrivateKey key = ModelPackager.privateKey(Files.readString(settings.signingKey(), StandardCharsets.UTF_8));
        byte[] pkg = ModelPackages.build(r.model(), int8, edgeTpu, desc, key);
        DeliveryOutcome o = dl.deliver(gateway, pkg);
        JsonObject delivered = new JsonObject();
        delivered.addProperty("accepted", o.accepted());
        delivered.addProperty("code", o.responseCode());
        delivered.addProperty("message", String.valueOf(o.message()));
        delivered.addProperty("bytes", o.bytes());
        delivered.addProperty("chunks", o.chunks());
        delivered.addProperty("retries", o.retries());
        delivered.addProperty("ms", o.millis());
        record.add("delivery", delivered);
        record.addProperty("outcome", o.accepted() ? "delivered" : "refused by the gateway");
        appendRound(d, record);
        if (o.accepted()) {
            update("DONE", "model " + version + " delivered to " + gateway + ": " + o.message() + once());
            LOG.info("model {} delivered to {} in {} ms ({} bytes, {} chunks, {} retries)", version, gateway, o.millis(), o.bytes(),
                    o.chunks(), o.retries());
        } else {
            update("FAILED", "model " + version + " refused by " + gateway + " (" + o.responseCode() + "): " + o.message() + once());
            LOG.warn("model {} not installed on {}: {} {}", version, gateway, o.responseCode(), o.message());
        }
    }

    private void progress(TrainingProgress p) {
        TrainingStatus s = status;
        String state = switch (p.phase()) {
            case "features" -> "EXTRACTING";
            case "training" -> "TRAINING";
            case "evaluating" -> "EVALUATING";
            default -> s.state();
        };
        String msg = switch (p.phase()) {
            case "features" -> "features of frame " + p.done() + "/" + p.total();
            case "training" -> "epoch " + p.epoch() + "/" + p.epochs() + ", loss " + fmt(p.loss());
            case "evaluating" -> "evaluating frame " + p.done() + "/" + p.total();
            default -> s.message();
        };
        status = new TrainingStatus(state, s.gateway(), s.camera(), p.epoch(), p.epochs(), p.loss(), p.etaMillis(),
                s.startedMillis(), System.currentTimeMillis(), s.metrics(), s.modelVersion(), msg);
        if (p.phase().equals("training")) {
            LOG.info("retraining {}/{}: epoch {}/{}, loss {}, ETA {} s", s.gateway(), s.camera(), p.epoch(), p.epochs(),
                    fmt(p.loss()), p.etaMillis() < 0 ? "?" : Long.toString(Math.round(p.etaMillis() / 1000.0)));
        }
    }

    /**
     * The round's figures for people: on the validation frames, F1 of the gateway's model at the gateway's
     * threshold, what thresholds alone add (same weights, thresholds chosen on the training frames), what the
     * new weights add (both models' thresholds chosen the same way) and AP@0.5 of both.
     */
    static String gains(ModelJudge.Verdict v, String gatewayVersion) {
        return String.format(java.util.Locale.ROOT, "on the validation frames F1 %.3f (%s at the gateway's threshold %.2f) "
                        + "%+.3f from thresholds alone %+.3f from the new weights = %.3f; AP@0.5 %.3f -> %.3f",
                ModelJudge.f1(v.baseAtGateway()), gatewayVersion, v.baseAtGateway().threshold(), v.thresholdGain(),
                v.weightsGain(), ModelJudge.f1(v.candidate()), v.baseTuned().ap50(), v.candidate().ap50());
    }

    /**
     * How far the gateway's own boxes (as uploaded with the samples: its mode,
     * its threshold) agree with the teacher's labels on the validation frames:
     * {@code edge.recall} = teacher labels the gateway also reported (same
     * class, IoU >= 0.5, each box matched once), {@code edge.precision} =
     * gateway boxes the teacher confirms.
     */
    static void agreement(CocoDataset d, Map<String, Double> metrics) {
        int teacher = 0;
        int edge = 0;
        int matched = 0;
        for (CocoDataset.Labelled l : d.labelled(SplitRule.Split.VAL, false)) {
            List<Detection> gw = d.detections(l.sample().edge());
            boolean[] used = new boolean[gw.size()];
            teacher += l.labels().size();
            edge += gw.size();
            for (Detection t : l.labels()) {
                int best = -1;
                float bestIou = 0.5f;
                for (int k = 0; k < gw.size(); k++) {
                    float iou = gw.get(k).classId() == t.classId() && !used[k] ? gw.get(k).iou(t) : 0f;
                    if (iou >= bestIou) {
                        best = k;
                        bestIou = iou;
                    }
                }
                if (best >= 0) {
                    used[best] = true;
                    matched++;
                }
            }
        }
        metrics.put("edge.boxes", (double) edge);
        metrics.put("edge.recall", teacher == 0 ? 0 : matched / (double) teacher);
        metrics.put("edge.precision", edge == 0 ? 0 : matched / (double) edge);
    }

    static double f1(Evaluation e) {
        return ModelJudge.f1(e);
    }

    private static void put(Map<String, Double> m, String prefix, Evaluation e) {
        m.put(prefix + ".ap50", e.ap50());
        m.put(prefix + ".f1", f1(e));
        m.put(prefix + ".recall", e.recall());
        m.put(prefix + ".precision", e.precision());
        m.put(prefix + ".images", (double) e.images());
        m.put(prefix + ".truths", (double) e.truths());
        e.ap50PerClass().forEach((label, ap) -> m.put(prefix + ".ap50." + label, ap));
    }

    private static List<LabelledImage> images(CocoDataset d, SplitRule.Split split) {
        List<LabelledImage> out = new ArrayList<>();
        for (CocoDataset.Labelled l : d.labelled(split, false)) {
            List<Detection> truth = l.labels();
            out.add(new LabelledImage(d.directory().resolve("images").resolve(l.sample().fileName()), truth));
        }
        return out;
    }

    /**
     * The model, its int8 and Edge TPU builds when there are, and its manifest in the annotator's store, where the next
     * round finds its base.
     */
    private void store(String version, byte[] model, byte[] int8, byte[] edgeTpu, ModelDescriptor desc) throws IOException {
        Path dir = settings.modelsRoot().resolve(version);
        Files.createDirectories(dir);
        write(dir, PackageLayout.INT8_MODEL, int8);
        write(dir, PackageLayout.EDGETPU_MODEL, edgeTpu);
        write(dir, ModelPackager.MODEL, model);
        Builds builds = new Builds(int8 == null ? null : ModelPackager.sha256Hex(int8), edgeTpu == null ? null : ModelPackager.sha256Hex(edgeTpu));
        Files.write(dir.resolve(ModelPackager.MANIFEST), ModelPackages.manifest(desc, desc.sha256(), builds));
    }

    private static void write(Path dir, String name, byte[] bytes) throws IOException {
        if (bytes == null) {
            return;
        }
        Path tmp = dir.resolve(name + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * The int8 build of the gateway's model: the one stored with it when the annotator made it, otherwise built now on
     * the same calibration frames as the candidate's.
     */
    private byte[] baseInt8(Path base, List<LabelledImage> calibration) throws IOException, TrainingException {
        Path stored = base.resolveSibling(PackageLayout.INT8_MODEL);
        if (!base.equals(settings.baseModel()) && Files.isRegularFile(stored)) {
            return Files.readAllBytes(stored);
        }
        return Int8Build.build(Files.readAllBytes(base), calibration, settings.trainer(), () -> closed).model();
    }

    /** At most n images spread evenly over the list (all of them when there are fewer). */
    static List<LabelledImage> spread(List<LabelledImage> images, int n) {
        if (images.size() <= n) {
            return images;
        }
        List<LabelledImage> out = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            out.add(images.get((int) ((long) k * images.size() / n)));
        }
        return out;
    }

    /** Replaces the status message, keeping everything else. */
    private void message(String text) {
        TrainingStatus s = status;
        status = new TrainingStatus(s.state(), s.gateway(), s.camera(), s.epoch(), s.epochs(), s.loss(), s.etaMillis(),
                s.startedMillis(), System.currentTimeMillis(), s.metrics(), s.modelVersion(), text);
    }

    /** Why there is no Edge TPU build, on the first round's final status only (the log said it at start). */
    private String once() {
        return noCompiler != null && noCompilerShown.compareAndSet(false, true) ? "; " + noCompiler : "";
    }

    /** One compact JSON object per line (JsonElement.toString: null members kept, no HTML escapes). */
    private static void appendRound(CocoDataset d, JsonObject record) throws IOException {
        Files.writeString(d.directory().resolve("rounds.log"), record + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    /** rounds.log figures: four decimals are plenty; an undefined figure (NaN) is written as null. */
    static JsonObject figures(Map<String, Double> metrics) {
        JsonObject o = new JsonObject();
        metrics.forEach((name, v) -> o.add(name, v == null || !Double.isFinite(v) ? JsonNull.INSTANCE
                : new JsonPrimitive(Math.round(v * 10_000) / 10_000.0)));
        return o;
    }

    private static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.3f", v);
    }

    /** Stops a running round at its next cancellation check (bounded wait). */
    @Override
    public void close() {
        closed = true;
        Thread t = worker;
        if (t != null) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

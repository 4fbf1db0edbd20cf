package io.edgetune.annotator.internal;

import io.edgetune.annotator.teacher.Teacher;
import io.edgetune.annotator.teacher.TeacherSettings;
import io.edgetune.api.annotate.AnnotatorService;
import io.edgetune.api.annotate.DatasetSummary;
import io.edgetune.api.annotate.LabelBox;
import io.edgetune.api.annotate.ReviewItem;
import io.edgetune.api.annotate.TrainingStatus;
import io.edgetune.api.annotate.Verdict;
import io.edgetune.api.detect.DetectorService;
import io.edgetune.api.model.ModelDescriptor;
import io.edgetune.api.model.ModelRegistry;
import io.edgetune.model.delivery.ModelSender;
import java.io.IOException;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.eclipse.kura.configuration.ConfigurableComponent;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cloud annotator: receives every gateway's sample messages through its own
 * MQTT client ({@link CloudLink}), labels each with the {@link Teacher} on the
 * shared DetectorService (configure that one in REGIONS mode with a low
 * threshold, e.g. 0.3), files it into the camera's COCO dataset, and runs
 * retraining rounds ({@link Retrainer}) that send better models back. A
 * configuration change re-creates the component (no @Modified).
 */
@Designate(ocd = AnnotatorComponent.Config.class)
@Component(name = AnnotatorComponent.PID, configurationPid = AnnotatorComponent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {ConfigurableComponent.class, AnnotatorService.class})
public class AnnotatorComponent implements ConfigurableComponent, AnnotatorService {

    public static final String PID = "io.edgetune.annotator.Annotator";
    private static final Logger LOG = LoggerFactory.getLogger(AnnotatorComponent.class);

    @ObjectClassDefinition(id = PID, name = "EdgeTune annotator",
            description = "Labels sampled gateway frames with the teacher pass, keeps a COCO dataset per camera, retrains the "
                    + "edge model's class heads on it and sends better models back signed.")
    public @interface Config {
        @AttributeDefinition(name = "Broker URL", description = "MQTT broker the gateways publish to (tcp://, ssl://).")
        String broker_url() default "tcp://127.0.0.1:1883";

        @AttributeDefinition(name = "Client id", description = "The annotator's MQTT client id; replies to its requests come to its namespace.")
        String client_id() default "edgetune-annotator";

        @AttributeDefinition(name = "Account", description = "Topic namespace of the gateways ({account}/{gateway}/EDGETUNE/samples/{camera}).")
        String account() default "edgetune";

        @AttributeDefinition(name = "Username", required = false)
        String username() default "";

        @AttributeDefinition(name = "Password", type = AttributeType.PASSWORD, required = false)
        String password() default "";

        @AttributeDefinition(name = "Maximum sample size (bytes)", description = "Larger sample payloads are refused.", min = "1024")
        int max_payload_bytes() default 8 * 1024 * 1024;

        @AttributeDefinition(name = "Dataset root", description = "Datasets go to {root}/{gateway}/{camera}.")
        String dataset_root() default "annotator-data";

        @AttributeDefinition(name = "Tile size", description = "Side of the native-resolution tiles (the model's input side).", min = "16")
        int tile_size() default 300;

        @AttributeDefinition(name = "Tile overlap", description = "Fraction shared by neighbouring tiles.", min = "0", max = "0.9")
        double tile_overlap() default 0.5;

        @AttributeDefinition(name = "Small tile size", description = "Extra tiles upscaled to the input for small objects; 0 = off.", min = "0")
        int small_tile_size() default 0;

        @AttributeDefinition(name = "Final threshold", description = "Score a fused box needs to become a label without temporal confirmation.",
                min = "0", max = "1")
        float final_threshold() default 0.5f;

        @AttributeDefinition(name = "Temporal gap (seconds)", description = "Samples of a camera at most this far apart confirm weak boxes "
                + "and fill misses in each other; 0 = temporal check off.", min = "0")
        int temporal_max_gap_seconds() default 15;

        @AttributeDefinition(name = "Split block (seconds)", description = "Length of the time blocks of the train/validation split.", min = "1")
        int split_block_seconds() default 600;

        @AttributeDefinition(name = "Validation every N blocks", min = "2")
        int split_validation_every() default 5;

        @AttributeDefinition(name = "Split guard (seconds)", description = "No training sample within this time of a validation sample.", min = "0")
        int split_guard_seconds() default 30;

        @AttributeDefinition(name = "Maximum frame width", min = "16")
        int max_width() default 1920;

        @AttributeDefinition(name = "Maximum frame height", min = "16")
        int max_height() default 1080;

        @AttributeDefinition(name = "Queue size", description = "Samples waiting for the teacher; more are dropped and counted.", min = "1")
        int queue_size() default 16;

        @AttributeDefinition(name = "Base model file", description = "TFLite file of the model the gateways start with.")
        String base_model_path() default "${user.home}/.cache/edgetune/ssd_mobilenetv2_oidv4_fp16.tflite";

        @AttributeDefinition(name = "Base model version", description = "Version name the gateways report for the base model.")
        String base_model_version() default "base-oidv4";

        @AttributeDefinition(name = "Model store", description = "Directory of the models the annotator trained ({dir}/{version}/).")
        String models_root() default "annotator-models";

        @AttributeDefinition(name = "Retrain automatically", description = "Start a round when a camera has enough new labelled frames.")
        boolean train_auto() default true;

        @AttributeDefinition(name = "Minimum training frames", min = "1")
        int train_min_images() default 40;

        @AttributeDefinition(name = "Minimum validation frames", min = "1")
        int train_min_validation() default 10;

        @AttributeDefinition(name = "New frames per round", description = "Labelled frames a camera needs since its last round before the next one.",
                min = "1")
        int train_every_new_images() default 100;

        @AttributeDefinition(name = "Epochs", min = "1")
        int train_epochs() default 12;

        @AttributeDefinition(name = "Gateway score threshold", description = "The score threshold the gateways run (their "
                + "detector's score.threshold): the operating point the gateway's model is scored at, to say how much of a "
                + "round's gain comes from choosing thresholds alone. Publication compares both models at thresholds chosen "
                + "the same way on the training frames (docs/annotator.md).", min = "0.01", max = "0.99")
        float gateway_score_threshold() default 0.4f;

        @AttributeDefinition(name = "Signing key file", description = "Ed25519 private key (PKCS#8, PEM or base64) the model packages are "
                + "signed with; the gateways trust its public key. Empty: rounds train and evaluate but deliver nothing.", required = false)
        String signing_key_file() default "";

        @AttributeDefinition(name = "Deliver to the gateway", description = "Send a model that beats the gateway's over MQTT and activate it.")
        boolean deliver() default true;

        @AttributeDefinition(name = "Chunk size (KiB)", min = "1", max = "1024")
        int delivery_chunk_kib() default 256;

        @AttributeDefinition(name = "Delivery timeout (seconds)", min = "5")
        int delivery_timeout_seconds() default 300;

        @AttributeDefinition(name = "Int8 builds", description = "Every round also makes the full-integer (int8) build of the "
                + "retrained and the gateway's model, calibrated on the camera's training frames; the publication rule judges "
                + "those and the package carries both builds. Off: the float build alone.")
        boolean int8_build() default true;

        @AttributeDefinition(name = "Edge TPU compiler", description = "Path of Coral's edgetpu_compiler; empty: look it up on "
                + "the PATH. When there is one, the int8 build is compiled and shipped as model_edgetpu.tflite.", required = false)
        String edgetpu_compiler() default "";

        @AttributeDefinition(name = "Edge TPU compile timeout (seconds)", min = "5")
        int edgetpu_timeout_seconds() default 300;
    }

    @Reference
    private DetectorService detector;

    @Reference
    private ModelRegistry models;

    private volatile SampleIngest ingest;
    private volatile CloudLink link;
    private volatile Retrainer retrainer;

    private final Object lifecycle = new Object();
    private volatile boolean stopping;
    private volatile Thread starter;

    /**
     * Returns at once: the registry may still be seeding or loading its model,
     * and the annotator needs that model's label map, so a starter thread waits
     * for an active model and then starts the ingest, the retrainer and the link.
     */
    @Activate
    void activate(Config c) {
        stopping = false;
        Thread t = new Thread(() -> startWhenModelReady(c), "edgetune-annotator-start");
        t.setDaemon(true);
        starter = t;
        t.start();
    }

    private void startWhenModelReady(Config c) {
        for (int waited = 0; !stopping; waited++) {
            Optional<ModelDescriptor> active = models.active();
            if (active.isPresent()) {
                try {
                    start(c, active.get());
                } catch (Exception | LinkageError e) {
                    LOG.error("annotator not started: {}", e.toString(), e);
                }
                return;
            }
            if (waited == 20) {
                LOG.info("annotator waiting for the model registry to activate a model (its label map is the dataset's)");
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void start(Config c, ModelDescriptor active) throws Exception {
        TeacherSettings teacher = new TeacherSettings(c.tile_size(), c.tile_overlap(), c.small_tile_size(), 0.34,
                0.55f, 2, c.final_threshold());
        SplitRule rule = new SplitRule(c.split_block_seconds() * 1000L, c.split_validation_every(), c.split_guard_seconds() * 1000L);
        CocoDataset.LabelPolicy policy = new CocoDataset.LabelPolicy(c.final_threshold(), 0.5f,
                c.temporal_max_gap_seconds() > 0 ? c.temporal_max_gap_seconds() * 1000L : -1);
        Retrainer r = new Retrainer(Retrainer.Settings.from(c, active));
        SampleIngest started = new SampleIngest(new Teacher(detector, teacher), Paths.get(c.dataset_root()), active.labels(), rule,
                policy, c.max_width(), c.max_height(), c.queue_size());
        started.onLabelled(r::sampleAdded);
        started.openExisting();
        r.attach(started);
        CloudLink l;
        try {
            l = new CloudLink(new CloudLink.Settings(c.broker_url(), c.client_id(), c.account(), c.username(),
                    c.password().toCharArray(), c.max_payload_bytes()), started::offer);
        } catch (Exception | LinkageError e) {
            started.close();
            r.close();
            throw e;
        }
        r.delivery(delivery(l, c));
        synchronized (lifecycle) {
            if (stopping) {
                l.close();
                started.close();
                r.close();
                return;
            }
            ingest = started;
            retrainer = r;
            link = l;
        }
        l.start();
        LOG.info("annotator labelling samples from {} into {} with the {} labels of model {}", c.broker_url(), c.dataset_root(),
                active.labels().size() - 1, active.version());
    }

    /** Deliveries go through the annotator's own client: chunked EDGETUNE-V1 uploads, activated on success. */
    private static Retrainer.Delivery delivery(CloudLink l, Config c) {
        ModelSender.Options options = ModelSender.Options.defaults().withChunkBytes(c.delivery_chunk_kib() * 1024)
                .withDeadline(Duration.ofSeconds(c.delivery_timeout_seconds()));
        return (gateway, pkg) -> {
            try (ModelSender sender = new ModelSender(l.client(), c.account(), options)) {
                return sender.send(gateway, pkg, true);
            }
        };
    }

    @Deactivate
    void deactivate() {
        synchronized (lifecycle) {
            stopping = true;
        }
        Thread t = starter;
        if (t != null) {
            t.interrupt();
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        CloudLink l = link;
        link = null;
        if (l != null) {
            l.close();
        }
        SampleIngest i = ingest;
        ingest = null;
        if (i != null) {
            i.close();
            LOG.info("annotator stopped: {}", i.counters());
        }
        Retrainer r = retrainer;
        retrainer = null;
        if (r != null) {
            r.close();
        }
    }

    @Override
    public List<DatasetSummary> datasets() {
        SampleIngest i = ingest;
        if (i == null) {
            return List.of();
        }
        List<DatasetSummary> out = new ArrayList<>();
        for (Map.Entry<String, CocoDataset> e : new TreeMap<>(i.datasets()).entrySet()) {
            String[] key = e.getKey().split("/", 2);
            out.add(summary(key[0], key[1], e.getValue(), i.gatewayModel(key[0], key[1])));
        }
        return out;
    }

    static DatasetSummary summary(String gateway, String camera, CocoDataset d, String model) {
        int train = 0;
        int val = 0;
        int accepted = 0;
        int rejected = 0;
        Map<String, Integer> perClass = new TreeMap<>();
        List<CocoDataset.Labelled> all = d.labelled(null, true);
        for (CocoDataset.Labelled l : all) {
            switch (l.verdict()) {
                case ACCEPTED -> accepted++;
                case REJECTED -> rejected++;
                default -> { }
            }
            if (l.verdict() == Verdict.REJECTED) {
                continue;
            }
            switch (d.rule().splitOf(l.sample().timestampMillis())) {
                case TRAIN -> train++;
                case VAL -> val++;
                default -> { }
            }
            l.labels().forEach(b -> perClass.merge(b.label(), 1, Integer::sum));
        }
        return new DatasetSummary(gateway, camera, all.size(), train, val, accepted, rejected, perClass, model);
    }

    @Override
    public List<ReviewItem> items(String gateway, String camera, int offset, int limit) {
        Optional<CocoDataset> d = find(gateway, camera);
        if (d.isEmpty()) {
            return List.of();
        }
        List<CocoDataset.Labelled> all = new ArrayList<>(d.get().labelled(null, true));
        all.sort(Comparator.comparingLong((CocoDataset.Labelled l) -> l.sample().timestampMillis()).reversed());
        List<ReviewItem> out = new ArrayList<>();
        List<String> labels = d.get().labels();
        for (int k = Math.max(0, offset); k < all.size() && out.size() < Math.max(0, limit); k++) {
            CocoDataset.Labelled l = all.get(k);
            CocoDataset.Sample s = l.sample();
            List<LabelBox> teacher = new ArrayList<>();
            l.labels().forEach(b -> teacher.add(new LabelBox(b.label(), b.x(), b.y(), b.width(), b.height(), b.score())));
            List<LabelBox> edge = new ArrayList<>();
            s.edge().forEach(a -> edge.add(new LabelBox(labels.get(a.categoryId()), a.x(), a.y(), a.width(), a.height(), a.score())));
            out.add(new ReviewItem(s.imageId(), s.timestampMillis(), s.sequence(), s.width(), s.height(),
                    d.get().rule().splitOf(s.timestampMillis()).key().replace("guard", "none"), l.verdict(), teacher, edge));
        }
        return out;
    }

    @Override
    public Optional<byte[]> image(String gateway, String camera, long imageId) throws IOException {
        Optional<CocoDataset> d = find(gateway, camera);
        if (d.isEmpty()) {
            return Optional.empty();
        }
        for (CocoDataset.Sample s : d.get().samples()) {
            if (s.imageId() == imageId) {
                Path p = d.get().directory().resolve("images").resolve(s.fileName());
                return Files.exists(p) ? Optional.of(Files.readAllBytes(p)) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    @Override
    public void review(String gateway, String camera, long imageId, Verdict verdict) throws IOException {
        CocoDataset d = find(gateway, camera).orElseThrow(() -> new IllegalArgumentException("no dataset " + gateway + "/" + camera));
        d.review(imageId, verdict);
    }

    @Override
    public boolean requestTraining(String gateway, String camera) {
        Retrainer r = retrainer;
        if (r == null || find(gateway, camera).isEmpty()) {
            return false;
        }
        return r.request(gateway, camera);
    }

    @Override
    public TrainingStatus training() {
        Retrainer r = retrainer;
        return r == null ? TrainingStatus.idle() : r.status();
    }

    private Optional<CocoDataset> find(String gateway, String camera) {
        SampleIngest i = ingest;
        if (i == null || gateway == null || camera == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(i.datasets().get(gateway + "/" + camera));
    }
}

package io.edgetune.annotator.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.edgetune.annotator.teacher.Teacher;
import io.edgetune.annotator.teacher.TeacherSettings;
import io.edgetune.api.annotate.TrainingStatus;
import io.edgetune.api.model.ModelDescriptor;
import io.edgetune.inference.engine.DetectorSettings;
import io.edgetune.inference.engine.EngineOptions;
import io.edgetune.inference.engine.LoadedModel;
import io.edgetune.inference.internal.FileModelRegistry;
import io.edgetune.inference.internal.SharedDetector;
import io.edgetune.model.delivery.DeliveryOutcome;
import io.edgetune.model.delivery.ModelPackager;
import io.edgetune.modelpackage.PackageVerifier;
import io.edgetune.testsupport.Assets;
import io.edgetune.testsupport.VideoFrames;
import io.edgetune.trainer.DamagedModels;
import io.edgetune.trainer.TrainerSettings;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.imageio.ImageIO;
import org.eclipse.kura.cloudconnection.message.KuraMessage;
import org.eclipse.kura.message.KuraPayload;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A retraining round for one camera of a gateway with two cameras: it trains on that camera's frames, and its
 * delivery names that camera, so the gateway (its real model registry and detector here) activates the model for
 * that camera only; the other camera keeps its model. The front camera runs a model the round can improve (the base
 * model with its Person rows damaged, as the loop test does), so the round publishes.
 */
public class RoundForOneCameraTest {

    private static final String GATEWAY = "gw-1";
    private static final String FRONT = "front";
    private static final String LOT = "lot";
    private static final String DAMAGED = "front-damaged";

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static byte[] jpeg(byte[] bgr) throws Exception {
        BufferedImage img = new BufferedImage(VideoFrames.WIDTH, VideoFrames.HEIGHT, BufferedImage.TYPE_3BYTE_BGR);
        byte[] px = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        System.arraycopy(bgr, 0, px, 0, px.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "jpg", out);
        return out.toByteArray();
    }

    private static KuraMessage sample(String camera, long seq, long ts, byte[] jpeg, String model) {
        KuraPayload p = new KuraPayload();
        p.setTimestamp(new Date(ts));
        p.addMetric("camera.id", camera);
        p.addMetric("frame.sequence", seq);
        p.addMetric("reason", "interval");
        p.addMetric("width", VideoFrames.WIDTH);
        p.addMetric("height", VideoFrames.HEIGHT);
        p.addMetric("content.type", "image/jpeg");
        p.addMetric("model.version", model);
        p.setBody(jpeg);
        return new KuraMessage(p, Map.of(SampleIngest.GATEWAY_PROPERTY, GATEWAY));
    }

    @Test
    public void aRoundForOneCameraIsDeliveredForThatCameraOnly() throws Exception {
        List<String> labels = Assets.labels();
        KeyPair keys = ModelPackager.generateKeyPair();
        Path keyFile = tmp.getRoot().toPath().resolve("signing.pem");
        Files.writeString(keyFile, ModelPackager.privateKeyPem(keys.getPrivate()), StandardCharsets.UTF_8);

        // the model the gateway runs on its front camera, made earlier by the annotator (so a round can start from it)
        Path annotatorModels = tmp.newFolder("annotator-models").toPath();
        byte[] damaged = DamagedModels.personRanksWorse(Files.readAllBytes(Assets.model()), labels, 11);
        Files.createDirectories(annotatorModels.resolve(DAMAGED));
        Files.write(annotatorModels.resolve(DAMAGED).resolve(ModelPackager.MODEL), damaged);

        try (SharedDetector detector = new SharedDetector("javacpp", EngineOptions.cpu(2), DetectorSettings.defaults());
             LoadedModel teacherModel = LoadedModel.load(new ModelDescriptor("teacher", "", labels, 300, 300, "ssd-mobilenet-v2:300",
                     null, Map.of(), 0L, false), Assets.model(), null, "javacpp", EngineOptions.cpu(2))) {
            // the gateway: real registry and detector trusting the annotator's key; front runs the damaged model
            FileModelRegistry gateway = new FileModelRegistry(tmp.newFolder("gateway-models").toPath(),
                    new PackageVerifier(ModelPackager.trustedKeyText(keys.getPrivate())), detector);
            gateway.seedIfEmpty(Assets.dir());
            gateway.activateAtStartup().orElseThrow();
            Path damagedPkg = tmp.getRoot().toPath().resolve("damaged.zip");
            Files.write(damagedPkg, ModelPackager.build(damaged, new ModelDescriptor(DAMAGED, ModelPackager.sha256Hex(damaged), labels,
                    300, 300, "ssd-mobilenet-v2:300", "base-oidv4", Map.of(), System.currentTimeMillis(), false), keys.getPrivate()));
            gateway.install(damagedPkg);
            gateway.activate(FRONT, DAMAGED);

            // samples of both cameras; one-minute blocks, every other one validation: frames 0-360 and 400-760 of the
            // video fall in two neighbouring blocks, so one is the training and the other the validation split
            Teacher teacher = new Teacher(teacherModel.asService(DetectorSettings.defaults().withScoreThreshold(0.3f)),
                    TeacherSettings.defaults());
            SplitRule rule = new SplitRule(60_000L, 2, 0L);
            long t0 = 1_763_780_040_000L; // a block boundary
            int[] indices = new int[20];
            for (int i = 0; i < indices.length; i++) {
                indices[i] = i * 40;
            }
            Map<Integer, byte[]> frames = VideoFrames.bgr(indices);
            try (SampleIngest ingest = new SampleIngest(teacher, tmp.newFolder("datasets").toPath(), labels, rule, 1920, 1080, 64)) {
                for (int i = 0; i < indices.length; i++) {
                    long ts = t0 + (i < 10 ? i : 60 + (i - 10)) * 1000L;
                    assertTrue(ingest.offer(sample(FRONT, indices[i], ts, jpeg(frames.get(indices[i])), DAMAGED)));
                }
                for (int i = 0; i < 2; i++) {
                    assertTrue(ingest.offer(sample(LOT, indices[i], t0 + i * 1000L, jpeg(frames.get(indices[i])), "base-oidv4")));
                }
                long deadline = System.currentTimeMillis() + 300_000;
                while (!ingest.counters().contains("labelled 22") && System.currentTimeMillis() < deadline) {
                    Thread.sleep(100);
                }
                assertTrue(ingest.counters(), ingest.counters().contains("labelled 22"));

                Retrainer retrainer = new Retrainer(new Retrainer.Settings(false, 1, 1, 1, TrainerSettings.defaults().withEpochs(12),
                        Assets.model(), "base-oidv4", annotatorModels, keyFile, true, 256 * 1024, 60_000, labels, 300, 300,
                        "ssd-mobilenet-v2:300", "edgetune", "annotator", true, "", 60));
                List<String> deliveries = new CopyOnWriteArrayList<>();
                retrainer.attach(ingest);
                // the gateway's end of a delivery as the commands run it: install, then activate for the named camera
                retrainer.delivery((gw, camera, pkg) -> {
                    deliveries.add(gw + "/" + camera);
                    Path file = Files.write(tmp.getRoot().toPath().resolve("delivered.zip"), pkg);
                    ModelDescriptor d = gateway.activate(camera, gateway.install(file).version());
                    return new DeliveryOutcome(gw, d.version(), true, 200, "installed and activated", pkg.length, 1, 0, 1);
                });
                assertTrue(retrainer.request(GATEWAY, FRONT));
                deadline = System.currentTimeMillis() + 600_000;
                while (!Set.of("DONE", "REJECTED", "FAILED").contains(retrainer.status().state()) && System.currentTimeMillis() < deadline) {
                    Thread.sleep(100);
                }
                TrainingStatus s = retrainer.status();
                System.out.println("round for " + GATEWAY + "/" + FRONT + ": " + s.state() + ", " + s.message());
                assertEquals(s.message(), "DONE", s.state());
                retrainer.close();

                String version = s.modelVersion();
                assertTrue(version, version.startsWith(FRONT + "-"));
                assertEquals("one delivery, for the round's camera", List.of(GATEWAY + "/" + FRONT), deliveries);
                assertEquals(Map.of(FRONT, version), gateway.cameraModels());
                assertEquals("the gateway default is untouched", "base-oidv4", gateway.activeVersion().orElseThrow());
                assertEquals("the other camera keeps its model", "base-oidv4", gateway.activeVersion(LOT).orElseThrow());
                assertEquals(Map.of(FRONT, version), detector.cameraModels());
                assertEquals(List.of(DAMAGED), gateway.history(FRONT));

                Path front = ingest.datasets().get(GATEWAY + "/" + FRONT).directory();
                String log = Files.readString(front.resolve("rounds.log"), StandardCharsets.UTF_8);
                assertTrue(log, log.contains("\"camera\":\"" + FRONT + "\",\"accepted\":true"));
                assertFalse("no round for the other camera",
                        Files.exists(ingest.datasets().get(GATEWAY + "/" + LOT).directory().resolve("rounds.log")));
            }
        }
    }
}

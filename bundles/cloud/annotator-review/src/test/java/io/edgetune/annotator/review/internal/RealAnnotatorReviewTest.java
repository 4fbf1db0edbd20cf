package io.edgetune.annotator.review.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.edgetune.annotator.internal.AnnotatorComponent;
import io.edgetune.annotator.internal.CloudLink;
import io.edgetune.api.annotate.DatasetSummary;
import io.edgetune.api.annotate.LabelBox;
import io.edgetune.api.annotate.ReviewItem;
import io.edgetune.api.annotate.TrainingStatus;
import io.edgetune.api.annotate.Verdict;
import io.edgetune.api.detect.DetectorService;
import io.edgetune.api.model.ModelDescriptor;
import io.edgetune.api.model.ModelRegistry;
import io.edgetune.cloud.mqtt.codec.KuraPayloadCodec;
import io.edgetune.testsupport.HeadlessChromium;
import io.edgetune.testsupport.TestBroker;
import io.edgetune.inference.engine.DetectorSettings;
import io.edgetune.inference.engine.LoadedModel;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.eclipse.kura.message.KuraPayload;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page over the annotator's own AnnotatorService (bundles/cloud/annotator,
 * io.edgetune.annotator.Annotator): a gateway publishes real samples of
 * vtest.avi with its real boxes to a real broker (Moquette), the annotator
 * labels them with its teacher on the real model, and the page in a headless
 * chromium shows, rejects and retrains what the annotator has, and a person's
 * box edits (BoxEditing) reach the next round's training set.
 */
// the first test expects no round yet (its panel waits for one); the box-editing test runs a round of its own after it
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class RealAnnotatorReviewTest {

    private static final String GATEWAY = "gw-real";
    private static final String CAMERA = "plaza";
    private static final Path WORK = Paths.get("target", "review-real");
    private static TestBroker broker;
    private static LoadedModel model;
    private static AnnotatorComponent annotator;
    private static ReviewServer server;
    private static ChromeDriver browser;
    private static List<RealReviewData.Labelled> sent;

    @BeforeClass
    public static void start() throws Exception {
        if (Files.exists(WORK)) {
            try (Stream<Path> walk = Files.walk(WORK)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        // six frames 4 s apart, enough person labels on the training side for a real round
        sent = RealReviewData.plaza();
        broker = TestBroker.create("moquette", WORK.resolve("broker"));
        broker.start();
        model = RealReviewData.model("base-oidv4");
        annotator = activate(Map.of(
                "broker_url", broker.url(),
                "client_id", "annotator-review-test",
                "dataset_root", WORK.resolve("datasets").toString(),
                "models_root", WORK.resolve("models").toString(),
                "train_auto", false,
                "train_epochs", 2,
                // frames 4 s apart: 4 s blocks, every second one validates, so both splits have frames
                "split_block_seconds", 4,
                "split_validation_every", 2,
                "split_guard_seconds", 0,
                "deliver", false));
        awaitConnected();
        publishSamples();
        long until = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < until && imagesOf(annotator.datasets()) < sent.size()) {
            Thread.sleep(200);
        }
        assertEquals("samples labelled by the annotator", sent.size(), imagesOf(annotator.datasets()));
        server = new ReviewServer(annotator, sent.size());
        browser = HeadlessChromium.start(WORK.resolve("chromium"));
    }

    @AfterClass
    public static void stop() throws Exception {
        HeadlessChromium.stop(browser, server);
        if (annotator != null) {
            Method deactivate = AnnotatorComponent.class.getDeclaredMethod("deactivate");
            deactivate.setAccessible(true);
            deactivate.invoke(annotator);
        }
        if (model != null) {
            model.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    /** The component as SCR makes it: references injected, then activate with its MetaType defaults and these overrides. */
    private static AnnotatorComponent activate(Map<String, Object> overrides) throws Exception {
        AnnotatorComponent c = new AnnotatorComponent();
        ModelDescriptor active = RealReviewData.descriptor("base-oidv4");
        DetectorService cloudDetector = io.edgetune.inference.TestAssets.detectorService(model, DetectorSettings.defaults().withScoreThreshold(0.3f));
        set(c, "detector", cloudDetector);
        set(c, "models", new ModelRegistry() {
            @Override
            public List<ModelDescriptor> list() {
                return List.of(active);
            }

            @Override
            public Optional<ModelDescriptor> active() {
                return Optional.of(active);
            }

            @Override
            public ModelDescriptor install(Path modelPackage) {
                throw new UnsupportedOperationException("the annotator only reads the active model");
            }

            @Override
            public ModelDescriptor activate(String version) {
                throw new UnsupportedOperationException("the annotator only reads the active model");
            }

            @Override
            public ModelDescriptor rollback() {
                throw new UnsupportedOperationException("the annotator only reads the active model");
            }
        });
        Object config = Proxy.newProxyInstance(AnnotatorComponent.Config.class.getClassLoader(), new Class<?>[] {AnnotatorComponent.Config.class},
                (proxy, method, args) -> {
                    if (overrides.containsKey(method.getName())) {
                        return overrides.get(method.getName());
                    }
                    if (method.getDefaultValue() != null) {
                        return method.getDefaultValue();
                    }
                    if (method.getName().equals("annotationType")) {
                        return AnnotatorComponent.Config.class;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        Method activate = AnnotatorComponent.class.getDeclaredMethod("activate", AnnotatorComponent.Config.class);
        activate.setAccessible(true);
        activate.invoke(c, config);
        return c;
    }

    private static void set(Object target, String field, Object value) throws Exception {
        Field f = target.getClass().getDeclaredField(field);
        f.setAccessible(true);
        f.set(target, value);
    }

    private static void awaitConnected() throws Exception {
        Field f = AnnotatorComponent.class.getDeclaredField("link");
        f.setAccessible(true);
        // the component starts on its own thread (it may wait for the model registry)
        long until = System.currentTimeMillis() + 60_000;
        CloudLink link = null;
        while (System.currentTimeMillis() < until && ((link = (CloudLink) f.get(annotator)) == null || !link.connected())) {
            Thread.sleep(50);
        }
        assertTrue("the annotator did not start or did not connect to " + broker.url(), link != null && link.connected());
        Thread.sleep(300); // its subscription follows the connect
    }

    /** As the uploader sends them: KuraPayload with the JPEG as body and the gateway's boxes as JSON. */
    private static void publishSamples() throws Exception {
        List<String> labels = io.edgetune.testsupport.Assets.labels();
        MqttClient gw = new MqttClient(broker.url(), GATEWAY, new MemoryPersistence());
        gw.connect(new MqttConnectOptions());
        for (RealReviewData.Labelled l : sent) {
            long ts = RealReviewData.EPOCH_MILLIS + 100L * l.index();
            // the uploader's detections body (docs/mqtt.md): scores to three and pixels to one decimal
            JsonObject det = new JsonObject();
            det.addProperty("cam", CAMERA);
            det.addProperty("seq", l.index());
            det.addProperty("ts", ts);
            det.addProperty("model", "base-oidv4");
            JsonArray boxes = new JsonArray();
            for (LabelBox b : l.edge()) {
                JsonObject box = new JsonObject();
                box.addProperty("c", labels.indexOf(b.label()));
                box.addProperty("l", b.label());
                box.addProperty("s", Math.round(b.score() * 1000) / 1000.0);
                JsonArray xywh = new JsonArray();
                for (float v : new float[] {b.x(), b.y(), b.width(), b.height()}) {
                    xywh.add(Math.round(v * 10) / 10.0);
                }
                box.add("b", xywh);
                boxes.add(box);
            }
            det.add("det", boxes);
            KuraPayload p = new KuraPayload();
            p.setTimestamp(new Date(ts));
            p.addMetric("camera.id", CAMERA);
            p.addMetric("frame.sequence", (long) l.index());
            p.addMetric("reason", "interval");
            p.addMetric("width", DirectoryAnnotatorService.WIDTH);
            p.addMetric("height", DirectoryAnnotatorService.HEIGHT);
            p.addMetric("content.type", "image/jpeg");
            p.addMetric("model.version", "base-oidv4");
            p.addMetric("detections", det.toString());
            p.setBody(l.jpeg());
            gw.publish("edgetune/" + GATEWAY + "/EDGETUNE/samples/" + CAMERA, KuraPayloadCodec.encode(p), 1, false);
        }
        gw.disconnect();
        gw.close();
    }

    private static int imagesOf(List<DatasetSummary> all) {
        return all.stream().filter(d -> d.gateway().equals(GATEWAY) && d.camera().equals(CAMERA)).mapToInt(DatasetSummary::images).sum();
    }

    private static DatasetSummary summary() {
        return annotator.datasets().stream().filter(d -> d.gateway().equals(GATEWAY) && d.camera().equals(CAMERA)).findFirst().orElseThrow();
    }

    private static <T> T waitFor(String what, Function<WebDriver, T> condition) {
        return new WebDriverWait(browser, Duration.ofSeconds(30)).withMessage(what).until(condition);
    }

    private static String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    static ChromeDriver browser() {
        return browser;
    }

    static ReviewServer server() {
        return server;
    }

    static AnnotatorComponent annotator() {
        return annotator;
    }

    static Path work() {
        return WORK;
    }

    static String gateway() {
        return GATEWAY;
    }

    static String camera() {
        return CAMERA;
    }

    @Test
    public void whatAPersonEditsIsStoredRefusedWhenHostileAndTrainedOn() throws Exception {
        new BoxEditing(this).run();
    }

    private static WebElement row() {
        return browser.findElement(By.cssSelector("#datasets tbody tr.dataset"));
    }

    private static int pageCount(String label) {
        for (WebElement c : row().findElements(By.cssSelector("span.class-count"))) {
            if (label.equals(c.getAttribute("data-label"))) {
                return Integer.parseInt(c.getAttribute("data-count"));
            }
        }
        return 0;
    }

    @Test
    public void thePageShowsRejectsAndRetrainsWhatTheAnnotatorHas() throws Exception {
        browser.get(server.base + "/");
        waitFor("the annotator's dataset listed", d -> d.findElements(By.cssSelector("#datasets tbody tr.dataset")).size() == 1);
        DatasetSummary before = summary();
        assertEquals(GATEWAY, row().findElement(By.cssSelector("td.gateway")).getText());
        assertEquals(Integer.toString(sent.size()), row().findElement(By.cssSelector("td.images")).getText());
        assertEquals("base-oidv4", row().findElement(By.cssSelector("td.model")).getText());
        for (Map.Entry<String, Integer> e : before.teacherBoxesPerClass().entrySet()) {
            assertEquals("teacher labels of class " + e.getKey(), (int) e.getValue(), pageCount(e.getKey()));
        }
        System.out.printf("annotator's dataset: %d frames, %d train, %d validation, labels per class %s%n",
                before.images(), before.train(), before.validation(), before.teacherBoxesPerClass());
        assertTrue(before.teacherBoxesPerClass().getOrDefault("Person", 0) >= 10);

        row().click();
        waitFor("the annotator's frames", d -> d.findElements(By.cssSelector("#frames figure.frame")).size() == sent.size());
        waitFor("every JPEG decoded", d -> Boolean.TRUE.equals(((ChromeDriver) d).executeScript(
                "return [...document.querySelectorAll('#frames img')].every(i => i.complete && i.naturalWidth > 0);")));
        List<WebElement> frames = browser.findElements(By.cssSelector("#frames figure.frame"));
        assertEquals("1–" + sent.size() + " of " + sent.size(), text("page-label"));
        assertTrue("a full last page offers no older one", !browser.findElement(By.id("older")).isEnabled());
        List<ReviewItem> items = annotator.items(GATEWAY, CAMERA, 0, sent.size());
        for (int i = 0; i < sent.size(); i++) {
            WebElement fig = frames.get(i);
            ReviewItem item = items.get(i);
            RealReviewData.Labelled published = sent.get(sent.size() - 1 - i); // newest first
            assertEquals(Long.toString(item.imageId()), fig.getAttribute("data-id"));
            assertEquals(768L, ((Number) browser.executeScript("return arguments[0].naturalWidth;", fig.findElement(By.tagName("img")))).longValue());
            assertEquals("the gateway's boxes travelled with the sample", published.edge().size(), item.edge().size());
            assertEquals(item.edge().size(), fig.findElements(By.cssSelector("svg rect.edge")).size());
            assertEquals(item.teacher().size(), fig.findElements(By.cssSelector("svg rect.teacher")).size());
        }

        // reject the newest frame through the page
        long rejected = items.get(0).imageId();
        int personsBefore = pageCount("Person");
        frames.get(0).findElement(By.cssSelector("button.reject")).click();
        waitFor("the verdict shown", d -> frames.get(0).findElement(By.cssSelector("span.verdict")).getText().equals("REJECTED"));
        waitFor("the rejected count", d -> row().findElement(By.cssSelector("td.rejected")).getText().equals("1"));
        assertEquals(Verdict.REJECTED, annotator.items(GATEWAY, CAMERA, 0, 1).get(0).verdict());
        Path reviews = WORK.resolve("datasets").resolve(GATEWAY).resolve(CAMERA).resolve("reviews.log");
        assertTrue("verdict stored in " + reviews, Files.readString(reviews).contains(rejected + "\tREJECTED"));
        assertEquals((int) summary().teacherBoxesPerClass().getOrDefault("Person", 0), pageCount("Person"));
        assertTrue(pageCount("Person") < personsBefore);

        // the training panel says what the next round waits for (here: automatic rounds are off)
        waitFor("the page says what the next round waits for", d -> text("train-state").equals("WAITING")
                && text("train-message").equals(GATEWAY + "/" + CAMERA + ": automatic rounds are off: start one with Retrain now"));
        // the training panel mirrors the annotator's retrainer; Retrain now starts a real round
        assertEquals(annotator.training().state(), text("train-state"));
        browser.findElement(By.id("train-now")).click();
        waitFor("the round requested", d -> text("train-result").equals("round started"));
        waitFor("the page follows the round", d -> {
            TrainingStatus t = annotator.training();
            return !t.state().equals("IDLE") && text("train-state").equals(t.state()) && text("train-message").equals(t.message());
        });
        TrainingStatus t = annotator.training();
        System.out.printf("retraining round as the page shows it: %s, %s / %s, epoch %s, loss %s, ETA %s, message '%s'%n",
                text("train-state"), GATEWAY, CAMERA, text("train-epoch"), text("train-loss"), text("train-eta"), text("train-message"));
        assertEquals(GATEWAY + " / " + CAMERA, text("train-camera"));
        assertEquals(t.gateway(), GATEWAY);
        // let the round end before the annotator is deactivated
        long until = System.currentTimeMillis() + 90_000;
        while (System.currentTimeMillis() < until
                && List.of("EXTRACTING", "TRAINING", "EVALUATING", "DELIVERING").contains(annotator.training().state())) {
            Thread.sleep(250);
        }
        TrainingStatus end = annotator.training();
        waitFor("the page shows how the round ended", d -> text("train-state").equals(end.state()) && text("train-message").equals(end.message()));
        System.out.printf("round ended %s after %d ms: %s, epoch %d/%d, loss %.4f, figures %s%n", end.state(),
                end.updatedMillis() - end.startedMillis(), end.message(), end.epoch(), end.epochs(), end.loss(), end.metrics());
        if (end.epochs() > 0) {
            assertEquals(end.epoch() + " / " + end.epochs(), text("train-epoch"));
        }
        if (!Double.isNaN(end.loss())) {
            assertEquals(String.format(Locale.ROOT, "%.4f", end.loss()), text("train-loss"));
        }
        for (Map.Entry<String, Double> m : end.metrics().entrySet()) {
            assertEquals("figure " + m.getKey(), 1, browser.findElements(By.cssSelector("#train-metrics tr[data-metric='" + m.getKey() + "']")).size());
        }
        assertEquals(end.metrics().size(), browser.findElements(By.cssSelector("#train-metrics tbody tr")).size());
        Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, Paths.get("target", "review-real.png"), StandardCopyOption.REPLACE_EXISTING);
    }
}

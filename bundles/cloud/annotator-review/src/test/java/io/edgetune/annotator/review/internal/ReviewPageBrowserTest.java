package io.edgetune.annotator.review.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.edgetune.api.annotate.DatasetSummary;
import io.edgetune.api.annotate.LabelBox;
import io.edgetune.api.annotate.ReviewItem;
import io.edgetune.api.annotate.TrainingStatus;
import io.edgetune.api.annotate.Verdict;
import io.edgetune.testsupport.HeadlessChromium;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The review page in a real headless chromium, served by Jetty 9.4, over
 * real frames of vtest.avi with the teacher's and the gateway's real boxes.
 */
public class ReviewPageBrowserTest {

    private static final int PAGE_SIZE = 4;
    private static final Path WORK = Paths.get("target", "review-browser");
    private static DirectoryAnnotatorService service;
    private static ReviewServer server;
    private static ChromeDriver browser;

    @BeforeClass
    public static void start() throws Exception {
        service = RealReviewData.freshService(WORK);
        server = new ReviewServer(service, PAGE_SIZE);
        browser = HeadlessChromium.start(WORK.resolve("chromium"));
    }

    @AfterClass
    public static void stop() throws Exception {
        HeadlessChromium.stop(browser, server);
    }

    private static <T> T waitFor(String what, Function<WebDriver, T> condition) {
        return new WebDriverWait(browser, Duration.ofSeconds(20)).withMessage(what).until(condition);
    }

    private static String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    private static WebElement datasetRow(String gateway, String camera) {
        for (WebElement tr : browser.findElements(By.cssSelector("#datasets tbody tr.dataset"))) {
            if (gateway.equals(tr.getAttribute("data-gateway")) && camera.equals(tr.getAttribute("data-camera"))) {
                return tr;
            }
        }
        throw new AssertionError("no row for " + gateway + "/" + camera + " on the page");
    }

    private static int pageCount(String gateway, String camera, String label) {
        for (WebElement c : datasetRow(gateway, camera).findElements(By.cssSelector("span.class-count"))) {
            if (label.equals(c.getAttribute("data-label"))) {
                return Integer.parseInt(c.getAttribute("data-count"));
            }
        }
        return 0;
    }

    private static DatasetSummary summary(String gateway, String camera) {
        return service.datasets().stream().filter(d -> d.gateway().equals(gateway) && d.camera().equals(camera)).findFirst().orElseThrow();
    }

    private static void openPage() {
        browser.get(server.base);
        waitFor("both datasets listed", d -> d.findElements(By.cssSelector("#datasets tbody tr.dataset")).size() == 2);
    }

    private static List<WebElement> framesShown(int expected) {
        waitFor(expected + " frames shown", d -> d.findElements(By.cssSelector("#frames figure.frame")).size() == expected);
        waitFor("every frame's JPEG decoded", d -> Boolean.TRUE.equals(((ChromeDriver) d).executeScript(
                "return [...document.querySelectorAll('#frames img')].every(i => i.complete && i.naturalWidth > 0);")));
        return browser.findElements(By.cssSelector("#frames figure.frame"));
    }

    private static long naturalWidth(WebElement img) {
        return ((Number) browser.executeScript("return arguments[0].naturalWidth;", img)).longValue();
    }

    private static int classCount(ReviewItem item, String label) {
        int n = 0;
        for (LabelBox b : item.teacher()) {
            n += b.label().equals(label) ? 1 : 0;
        }
        return n;
    }

    @Test
    public void reviewingTheCamerasFramesAndStartingARetrainingRound() throws Exception {
        String gw = RealReviewData.GATEWAY;
        String cam = RealReviewData.CAMERA;
        service.setTraining(new TrainingStatus("DONE", gw, cam, 10, 10, 0.3125, -1, RealReviewData.EPOCH_MILLIS,
                RealReviewData.EPOCH_MILLIS + 81_234, Map.of("base.ap50", 0.412, "retrained.ap50", 0.538, "train.ms", 81_234.0),
                "plaza-r1", "retrained model delivered to the gateway"));
        service.onTrainingRequest((g, c) -> new TrainingStatus("TRAINING", g, c, 3, 10, 0.4213, 95_000, System.currentTimeMillis(),
                System.currentTimeMillis(), Map.of(), null, "epoch 3 of 10"));
        openPage();

        // the dataset with its counts per class, as the service counts them
        DatasetSummary before = summary(gw, cam);
        WebElement row = datasetRow(gw, cam);
        assertEquals(Integer.toString(before.images()), row.findElement(By.cssSelector("td.images")).getText());
        assertEquals("0", row.findElement(By.cssSelector("td.rejected")).getText());
        for (Map.Entry<String, Integer> e : before.teacherBoxesPerClass().entrySet()) {
            assertEquals("teacher boxes of class " + e.getKey(), (int) e.getValue(), pageCount(gw, cam, e.getKey()));
        }
        int personsBefore = pageCount(gw, cam, "Person");
        assertTrue("persons on the page: " + personsBefore, personsBefore >= 20);

        // the last round's figures
        waitFor("the last round shown", d -> text("train-state").equals("DONE"));
        assertEquals("10 / 10", text("train-epoch"));
        assertEquals("0.3125", text("train-loss"));
        assertEquals("plaza-r1", text("train-model"));
        assertEquals("0.5380", browser.findElement(By.cssSelector("#train-metrics tr[data-metric='retrained.ap50'] td")).getText());
        assertEquals("81234", browser.findElement(By.cssSelector("#train-metrics tr[data-metric='train.ms'] td")).getText());

        // the newest frames with one overlay per box of each kind
        row.click();
        List<WebElement> frames = framesShown(PAGE_SIZE);
        List<ReviewItem> items = service.items(gw, cam, 0, PAGE_SIZE);
        int teacherTotal = 0;
        int edgeTotal = 0;
        for (int i = 0; i < PAGE_SIZE; i++) {
            WebElement fig = frames.get(i);
            ReviewItem item = items.get(i);
            assertEquals(Long.toString(item.imageId()), fig.getAttribute("data-id"));
            assertEquals(768, naturalWidth(fig.findElement(By.tagName("img"))));
            List<WebElement> teacherRects = fig.findElements(By.cssSelector("svg rect.teacher"));
            assertEquals("teacher boxes on frame " + item.imageId(), item.teacher().size(), teacherRects.size());
            assertEquals("gateway boxes on frame " + item.imageId(), item.edge().size(), fig.findElements(By.cssSelector("svg rect.edge")).size());
            assertEquals(item.teacher().get(0).x(), Float.parseFloat(teacherRects.get(0).getAttribute("x")), 0.01f);
            teacherTotal += item.teacher().size();
            edgeTotal += item.edge().size();
        }
        System.out.printf("page shows %d teacher and %d gateway boxes on the %d newest frames%n", teacherTotal, edgeTotal, PAGE_SIZE);
        assertTrue("the teacher labels more than the gateway pass", teacherTotal > edgeTotal);
        // the overlay lies on the image: same on-screen box (to sub-pixel rounding)
        @SuppressWarnings("unchecked")
        List<Number> boxes = (List<Number>) browser.executeScript("const i = arguments[0].querySelector('img').getBoundingClientRect();"
                + " const s = arguments[0].querySelector('svg').getBoundingClientRect();"
                + " return [i.left, i.top, i.width, i.height, s.left, s.top, s.width, s.height];", frames.get(0));
        for (int k = 0; k < 4; k++) {
            assertEquals("image and overlay box " + boxes, boxes.get(k).doubleValue(), boxes.get(k + 4).doubleValue(), 1.0);
        }
        assertTrue("the frame is shown at least 300 px wide: " + boxes, boxes.get(2).doubleValue() >= 300);

        // reject the newest frame: the service stores it, the counts drop by its labels
        ReviewItem newest = items.get(0);
        int newestPersons = classCount(newest, "Person");
        assertTrue(newestPersons > 0);
        frames.get(0).findElement(By.cssSelector("button.reject")).click();
        waitFor("the verdict shown", d -> frames.get(0).findElement(By.cssSelector("span.verdict")).getText().equals("REJECTED"));
        waitFor("the rejected count updated", d -> datasetRow(gw, cam).findElement(By.cssSelector("td.rejected")).getText().equals("1"));
        assertEquals(personsBefore - newestPersons, pageCount(gw, cam, "Person"));
        assertEquals(Verdict.REJECTED, service.items(gw, cam, 0, 1).get(0).verdict());
        assertEquals("verdict persisted", Verdict.REJECTED, new DirectoryAnnotatorService(service.root).items(gw, cam, 0, 1).get(0).verdict());
        assertEquals(Verdict.PENDING, service.items(gw, cam, 1, 1).get(0).verdict());

        // retrain now: the request reaches the service, the page follows the round
        WebElement trainNow = browser.findElement(By.id("train-now"));
        assertTrue(trainNow.isEnabled());
        trainNow.click();
        waitFor("the running round shown", d -> text("train-state").equals("TRAINING"));
        assertEquals(List.of(gw + "/" + cam), service.trainingRequests);
        assertEquals("3 / 10", text("train-epoch"));
        assertEquals("0.4213", text("train-loss"));
        assertEquals("1 min 35 s", text("train-eta"));
        assertEquals(gw + " / " + cam, text("train-camera"));
        assertEquals("round started", text("train-result"));
        assertFalse("no second round while one runs", trainNow.isEnabled());

        Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, Paths.get("target", "review.png"), StandardCopyOption.REPLACE_EXISTING);

        // older frames
        browser.findElement(By.id("older")).click();
        waitFor("the second page", d -> d.findElements(By.cssSelector("#frames figure.frame")).size() == 2
                && "1040".equals(d.findElements(By.cssSelector("#frames figure.frame")).get(0).getAttribute("data-id")));
        assertEquals("5–6 of 6", text("page-label"));
        assertFalse(browser.findElement(By.id("older")).isEnabled());
    }

    @Test
    public void hostileIdsAreShownAsText() {
        openPage();
        String gw = RealReviewData.HOSTILE_GATEWAY;
        String cam = RealReviewData.HOSTILE_CAMERA;
        WebElement row = datasetRow(gw, cam);
        assertEquals(cam, row.findElement(By.cssSelector("td.camera")).getText());
        assertEquals(gw, row.findElement(By.cssSelector("td.gateway")).getText());
        row.click();
        List<WebElement> frames = framesShown(RealReviewData.HOSTILE_FRAMES.length);
        assertEquals(gw + " / " + cam, text("frames-title"));
        // the ids travel URL-encoded: the image behind them loads
        assertEquals(768, naturalWidth(frames.get(0).findElement(By.tagName("img"))));
        assertEquals("undefined", browser.executeScript("return typeof window.xssRan;"));
        assertEquals(0L, browser.executeScript("return document.querySelectorAll('main script, main b, #datasets img').length;"));
    }

    @Test
    public void withoutTheAnnotatorThePageSaysSo() throws Exception {
        try (ReviewServer bare = new ReviewServer(null, PAGE_SIZE)) {
            browser.get(bare.base + "/");
            waitFor("the missing annotator reported", d -> text("status").equals(ReviewServlet.NOT_RUNNING));
            assertTrue(browser.findElements(By.cssSelector("#datasets tbody tr")).isEmpty());
        }
    }
}

package io.edgetune.annotator.review.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.edgetune.annotator.internal.AnnotatorComponent;
import io.edgetune.annotator.internal.CocoDataset;
import io.edgetune.annotator.internal.Retrainer;
import io.edgetune.annotator.internal.SampleIngest;
import io.edgetune.annotator.internal.SplitRule;
import io.edgetune.api.annotate.LabelBox;
import io.edgetune.api.annotate.ReviewItem;
import io.edgetune.api.annotate.TrainingStatus;
import io.edgetune.api.annotate.Verdict;
import io.edgetune.api.detect.Detection;
import io.edgetune.trainer.LabelledImage;
import java.lang.reflect.Field;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.Rectangle;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Box editing on the real annotator, in real chromium (part of {@link RealAnnotatorReviewTest}, which starts
 * both): drag a box, add one, delete one, relabel one (and undo a slip), save, reload and find the edits; the
 * training set the next round builds carries them; hostile input (markup as a label, boxes outside the frame,
 * unknown classes, a concurrent edit of the frame, oversized bodies) is refused with a clear message and stores
 * nothing; then a real round reports the reviewed frames it used.
 */
final class BoxEditing {

    private final ChromeDriver browser = RealAnnotatorReviewTest.browser();
    private final AnnotatorComponent annotator = RealAnnotatorReviewTest.annotator();
    private final String gateway = RealAnnotatorReviewTest.gateway();
    private final String camera = RealAnnotatorReviewTest.camera();
    private final String base = RealAnnotatorReviewTest.server().base;
    private final HttpClient http = HttpClient.newHttpClient();

    BoxEditing(RealAnnotatorReviewTest owner) {
        // runs on the owner's annotator, server and browser
    }

    /** A box as the page's editor holds it, read from its SVG. */
    record EBox(String label, double x, double y, double width, double height) {

        /** From the API's floats, as their shortest decimal (what the page and the JSON carry). */
        static EBox of(String label, float x, float y, float width, float height) {
            return new EBox(label, d(x), d(y), d(width), d(height));
        }

        private static double d(float f) {
            return Double.parseDouble(Float.toString(f));
        }
    }

    void run() throws Exception {
        // a training frame, not rejected, with at least three teacher labels and nobody's edits yet
        ReviewItem frame = null;
        for (ReviewItem it : annotator.items(gateway, camera, 0, 100)) {
            if (it.split().equals("train") && it.verdict() != Verdict.REJECTED && it.teacher().size() >= 3 && it.revision() == 0) {
                frame = it;
                break;
            }
        }
        assertNotNull("a training frame with three teacher labels", frame);
        long id = frame.imageId();

        browser.get(base + "/");
        openEditor(id);
        List<EBox> start = boxes();
        assertEquals("the editor starts from the teacher's labels", frame.teacher().size(), start.size());
        for (int k = 0; k < start.size(); k++) {
            assertEquals(frame.teacher().get(k).label(), start.get(k).label());
            assertEquals(frame.teacher().get(k).x(), start.get(k).x(), 0.05);
        }
        WebElement svg = browser.findElement(By.id("editor-svg"));
        Rectangle area = svg.getRect();
        double scale = area.getWidth() / (double) frame.width();

        // 1. drag a box by (40, 24) screen pixels: one whose centre no later (upper) box covers
        List<EBox> expected = new ArrayList<>(start);
        int m = uncovered(start);
        EBox dragged = start.get(m);
        new Actions(browser).moveToElement(rect(m)).clickAndHold().moveByOffset(20, 12).moveByOffset(20, 12).release().perform();
        EBox moved = boxes().get(m);
        assertEquals("moved right by 40 screen px", Math.min(dragged.x() + 40 / scale, frame.width() - dragged.width()), moved.x(), 1.0);
        assertEquals("moved down by 24 screen px", Math.min(dragged.y() + 24 / scale, frame.height() - dragged.height()), moved.y(), 1.0);
        assertEquals("size kept", dragged.width(), moved.width(), 0.01);
        assertEquals(dragged.label(), moved.label());
        // ... and resize it from its bottom-right handle (it stays selected after the drag) by (20, 16) screen pixels
        new Actions(browser).moveToElement(browser.findElement(By.cssSelector("#editor-svg rect.handle.se[data-index='" + m + "']")))
                .clickAndHold().moveByOffset(10, 8).moveByOffset(10, 8).release().perform();
        EBox resized = boxes().get(m);
        assertEquals("top-left corner kept", moved.x(), resized.x(), 0.01);
        assertEquals(moved.y(), resized.y(), 0.01);
        assertEquals("wider by 20 screen px", Math.min(moved.width() + 20 / scale, frame.width() - moved.x()), resized.width(), 1.0);
        assertEquals("higher by 16 screen px", Math.min(moved.height() + 16 / scale, frame.height() - moved.y()), resized.height(), 1.0);
        expected.set(m, resized);
        assertEquals(expected, boxes());

        // 2. relabel another box with the class picker (the page offers the model's classes only); Tab selects boxes
        List<String> offered = new ArrayList<>();
        for (WebElement o : new Select(browser.findElement(By.id("editor-class"))).getOptions()) {
            offered.add(o.getText());
        }
        assertEquals(annotator.classes(gateway, camera), offered);
        int r = m == 0 ? 1 : 0;
        select(r);
        String newLabel = start.get(r).label().equals("Car") ? "Bicycle" : "Car";
        new Select(browser.findElement(By.id("editor-class"))).selectByVisibleText(newLabel);
        EBox was = expected.get(r);
        expected.set(r, new EBox(newLabel, was.x(), was.y(), was.width(), was.height()));
        assertEquals(expected, boxes());

        // 3. delete a third box with the Delete key; a slip (deleting the first box too) is undone with Ctrl+Z
        int dl = start.size() - 1;
        while (dl == m || dl == r) {
            dl--;
        }
        select(dl);
        new Actions(browser).sendKeys(Keys.DELETE).perform();
        EBox deleted = expected.remove(dl);
        assertEquals(expected, boxes());
        select(0);
        new Actions(browser).sendKeys(Keys.DELETE).perform();
        assertEquals(expected.size() - 1, boxes().size());
        new Actions(browser).keyDown(Keys.CONTROL).sendKeys("z").keyUp(Keys.CONTROL).perform();
        assertEquals("undo brings the box back", expected, boxes());

        // 4. draw a new Person box from an empty spot (Esc first: with nothing selected the picker only picks)
        deselect();
        new Select(browser.findElement(By.id("editor-class"))).selectByVisibleText("Person");
        double[] spot = emptySpot(boxes(), frame.width(), frame.height(), 60, 80);
        assertNotNull("an empty 60x80 spot on the frame", spot);
        int ox = (int) Math.round(spot[0] * scale - area.getWidth() / 2.0);
        int oy = (int) Math.round(spot[1] * scale - area.getHeight() / 2.0);
        new Actions(browser).moveToElement(svg, ox, oy).clickAndHold().moveByOffset(30, 40)
                .moveByOffset((int) Math.round(60 * scale) - 30, (int) Math.round(80 * scale) - 40).release().perform();
        List<EBox> edited = boxes();
        assertEquals(expected.size() + 1, edited.size());
        assertEquals(expected, edited.subList(0, expected.size()));
        EBox added = edited.get(edited.size() - 1);
        assertEquals("Person", added.label());
        assertEquals(spot[0], added.x(), 1.0);
        assertEquals(spot[1], added.y(), 1.0);
        assertEquals(60, added.width(), 1.5);
        assertEquals(80, added.height(), 1.5);
        assertTrue(text("editor-state").contains("unsaved changes"));

        // 5. save as reviewed, reload the page, and find the edits
        browser.findElement(By.id("editor-save")).click();
        waitFor("saved", d -> text("editor-message").equals("saved: " + edited.size() + " boxes, revision 1"));
        browser.navigate().refresh();
        openEditor(id);
        assertEquals("the edits after a reload", edited, boxes());
        assertTrue(text("editor-state").contains("reviewed, revision 1"));
        WebElement fig = browser.findElement(By.cssSelector("#frames figure.frame[data-id='" + id + "']"));
        assertEquals(edited.size(), fig.findElements(By.cssSelector("svg rect.human")).size());
        assertEquals("the teacher's labels still shown beside them", frame.teacher().size(),
                fig.findElements(By.cssSelector("svg rect.teacher")).size());
        ReviewItem stored = item(id);
        assertEquals(1, stored.revision());
        assertEquals(edited, fromApi(stored.human()));
        assertEquals("the teacher's labels are kept", frame.teacher(), stored.teacher());
        Path human = RealAnnotatorReviewTest.work().resolve("datasets").resolve(gateway).resolve(camera).resolve("human.log");
        assertEquals(1, Files.readAllLines(human).size());

        // 6. the training set the next round builds has the person's boxes for this frame, not the teacher's
        CocoDataset dataset = dataset();
        String file = dataset.samples().stream().filter(s -> s.imageId() == id).findFirst().orElseThrow().fileName();
        LabelledImage trained = Retrainer.images(dataset, SplitRule.Split.TRAIN).stream()
                .filter(li -> li.jpeg().getFileName().toString().equals(file)).findFirst().orElseThrow();
        List<EBox> truth = new ArrayList<>();
        for (Detection d : trained.truth()) {
            truth.add(EBox.of(d.label(), d.x(), d.y(), d.width(), d.height()));
            assertEquals(annotator.classes(gateway, camera).indexOf(d.label()) + 1, d.classId());
        }
        assertEquals(edited, truth);
        assertFalse("the deleted teacher box is not trained on", truth.contains(deleted));
        System.out.printf("frame %d: %d teacher labels -> %d reviewed boxes (moved and resized, relabelled, deleted, added Person); "
                + "training set truth %s%n", id, frame.teacher().size(), truth.size(), truth);

        hostileInput(id, frame, edited);
        concurrentEditInThePage(id, edited);
        roundUsesReviewedFrames();
    }

    /** Refused with a clear message, nothing stored, markup never run. */
    private void hostileInput(long id, ReviewItem frame, List<EBox> edited) throws Exception {
        Path human = RealAnnotatorReviewTest.work().resolve("datasets").resolve(gateway).resolve(camera).resolve("human.log");
        String ok = "{\"label\":\"Person\",\"x\":10,\"y\":10,\"width\":50,\"height\":90}";

        HttpResponse<String> r = post(body(id, 1, "{\"label\":\"<script>alert(1)</script>\",\"x\":1,\"y\":1,\"width\":5,\"height\":5}"));
        assertEquals(400, r.statusCode());
        assertTrue(r.body(), error(r).startsWith("boxes not stored: box 1: unknown class '<script>alert(1)</script>'; the model's classes are ["));
        assertFalse("markup escaped in the JSON", r.body().contains("<"));

        r = post(body(id, 1, ok + ",{\"label\":\"Person\",\"x\":700,\"y\":500,\"width\":100,\"height\":50}"));
        assertEquals(400, r.statusCode());
        assertEquals("boxes not stored: box 2 (Person) at x 700.0 y 500.0, 100.0 x 50.0 lies outside the 768 x 576 frame", error(r));
        r = post(body(id, 1, "{\"label\":\"Person\",\"x\":-5,\"y\":10,\"width\":50,\"height\":90}"));
        assertEquals(400, r.statusCode());
        assertTrue(error(r), error(r).contains("lies outside the 768 x 576 frame"));
        r = post(body(id, 1, "{\"label\":\"Unicorn\",\"x\":1,\"y\":1,\"width\":5,\"height\":5}"));
        assertEquals(400, r.statusCode());
        assertTrue(error(r), error(r).startsWith("boxes not stored: box 1: unknown class 'Unicorn'"));
        r = post(body(id, 1, "{\"label\":\"???\",\"x\":1,\"y\":1,\"width\":5,\"height\":5}"));
        assertEquals("the background entry is no class", 400, r.statusCode());
        r = post(body(id, 1, "{\"label\":\"Person\",\"x\":NaN,\"y\":1,\"width\":5,\"height\":5}"));
        assertEquals(400, r.statusCode());
        assertTrue(error(r), error(r).startsWith("malformed boxes"));
        r = post(body(id, 1, "{\"label\":\"Person\",\"x\":1,\"y\":1,\"width\":0.2,\"height\":5}"));
        assertEquals(400, r.statusCode());
        assertTrue(error(r), error(r).contains("smaller than a pixel"));
        r = post("{\"gateway\":\"" + gateway + "\",\"camera\":\"" + camera + "\",\"id\":" + id + ",\"revision\":1,\"boxes\":[" + ok
                + "],\"extra\":{\"nested\":[1,2]}}");
        assertEquals(400, r.statusCode());
        assertEquals("malformed boxes: unknown field 'extra'", error(r));
        r = post(body(id, 1, String.join(",", java.util.Collections.nCopies(301, ok))));
        assertEquals(400, r.statusCode());
        assertTrue(error(r), error(r).contains("more than 300 boxes"));
        r = post(body(id, 1, ok + ",{\"label\":\"" + "x".repeat(70_000) + "\",\"x\":1,\"y\":1,\"width\":5,\"height\":5}"));
        assertEquals(413, r.statusCode());
        r = post(body(999_999, 0, ok));
        assertEquals(404, r.statusCode());
        assertEquals("no image 999999 in the dataset of " + camera, error(r));
        // another reviewer's save on the revision this one already replaced
        r = post(body(id, 0, ok));
        assertEquals(409, r.statusCode());
        assertEquals("frame " + id + " was changed by someone else (it is at revision 1, you edited revision 0): reload it to see "
                + "their boxes, then edit again", error(r));
        assertEquals(1, JsonParser.parseString(r.body()).getAsJsonObject().get("revision").getAsInt());
        assertEquals("nothing stored by refused requests", 1, Files.readAllLines(human).size());
        assertEquals(edited, fromApi(item(id).human()));

        // markup smuggled into the page's class picker: the page gives no box a class outside the model's, and runs nothing
        browser.findElement(By.id("editor-close")).click();
        openEditor(id);
        browser.executeScript("window.pwned = false; const o = document.createElement('option');"
                + "o.value = o.textContent = '<img src=x onerror=\\\"window.pwned=true\\\">'; document.getElementById('editor-class').appendChild(o);");
        select(0);
        new Select(browser.findElement(By.id("editor-class"))).selectByValue("<img src=x onerror=\"window.pwned=true\">");
        assertEquals(edited, boxes());
        assertFalse(text("editor-state").contains("unsaved"));
        assertEquals(0, browser.findElements(By.cssSelector("#editor img:not(#editor-stage > img), #editor-svg img")).size());
        assertEquals(Boolean.FALSE, browser.executeScript("return window.pwned;"));
        assertEquals(1, Files.readAllLines(human).size());
        browser.findElement(By.id("editor-close")).click();
    }

    /** Two reviewers on one frame: the one who saves second is told to reload, and stores nothing. */
    private void concurrentEditInThePage(long id, List<EBox> edited) throws Exception {
        openEditor(id);
        select(0);
        new Actions(browser).sendKeys(Keys.DELETE).perform();
        // meanwhile another reviewer saves revision 1 -> 2 over the API: the same boxes and one more person
        List<EBox> theirs = new ArrayList<>(edited);
        theirs.add(new EBox("Person", 100, 100, 40, 90));
        StringBuilder boxes = new StringBuilder();
        for (EBox b : theirs) {
            boxes.append(boxes.length() == 0 ? "" : ",").append(String.format(Locale.ROOT,
                    "{\"label\":\"%s\",\"x\":%s,\"y\":%s,\"width\":%s,\"height\":%s}", b.label(), b.x(), b.y(), b.width(), b.height()));
        }
        HttpResponse<String> other = post(body(id, 1, boxes.toString()));
        assertEquals(other.body(), 200, other.statusCode());
        assertEquals(2, JsonParser.parseString(other.body()).getAsJsonObject().get("revision").getAsInt());
        browser.findElement(By.id("editor-save")).click();
        waitFor("the conflict shown", d -> text("editor-message").equals("frame " + id + " was changed by someone else (it is at "
                + "revision 2, you edited revision 1): reload it to see their boxes, then edit again"));
        assertEquals(2, item(id).revision());
        assertEquals(theirs, fromApi(item(id).human()));
        // the reviewer gives up the edit (the page asks first) and reloads: the other reviewer's boxes
        browser.findElement(By.id("editor-close")).click();
        browser.switchTo().alert().accept();
        browser.navigate().refresh();
        openEditor(id);
        assertEquals(theirs, boxes());
        Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, Paths.get("target", "review-editor.png"), StandardCopyOption.REPLACE_EXISTING);
        browser.findElement(By.id("editor-close")).click();
    }

    /** A validation frame reviewed too, then a real round: its figures count the reviewed frames and score them apart. */
    private void roundUsesReviewedFrames() throws Exception {
        ReviewItem val = annotator.items(gateway, camera, 0, 100).stream()
                .filter(it -> it.split().equals("val") && it.verdict() != Verdict.REJECTED && it.teacher().size() >= 2)
                .findFirst().orElseThrow();
        // the person keeps the teacher's boxes but drops the last one
        List<LabelBox> keep = new ArrayList<>(val.teacher().subList(0, val.teacher().size() - 1));
        assertEquals(1, annotator.saveBoxes(gateway, camera, val.imageId(), 0, keep));
        long until = System.currentTimeMillis() + 60_000;
        while (!annotator.requestTraining(gateway, camera) && System.currentTimeMillis() < until) {
            Thread.sleep(250); // a round of the other test may still be ending
        }
        Thread.sleep(100);
        until = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < until
                && List.of("EXTRACTING", "TRAINING", "EVALUATING", "DELIVERING").contains(annotator.training().state())) {
            Thread.sleep(250);
        }
        TrainingStatus end = annotator.training();
        System.out.printf("round with reviewed frames ended %s: %s; figures %s%n", end.state(), end.message(), end.metrics());
        assertTrue(end.message(), List.of("DONE", "REJECTED").contains(end.state()));
        assertEquals(1.0, end.metrics().get("reviewed.train.images"), 0);
        assertEquals(1.0, end.metrics().get("reviewed.val.images"), 0);
        assertEquals("the person's boxes are the truths of the reviewed validation frame", keep.size(),
                end.metrics().get("reviewed.base.truths"), 0);
        assertNotNull(end.metrics().get("reviewed.retrained.ap50"));
        assertNotNull(end.metrics().get("teacher.retrained.ap50"));
        Path rounds = RealAnnotatorReviewTest.work().resolve("datasets").resolve(gateway).resolve(camera).resolve("rounds.log");
        List<String> lines = Files.readAllLines(rounds);
        JsonObject last = JsonParser.parseString(lines.get(lines.size() - 1)).getAsJsonObject();
        assertTrue(last.get("reviewed").getAsString(), last.get("reviewed").getAsString()
                .startsWith("1 reviewed training frames used; AP@0.5 on 1 reviewed validation frames "));
    }

    // ---- helpers ----

    private void openEditor(long id) {
        waitFor("the annotator's dataset listed", d -> d.findElements(By.cssSelector("#datasets tbody tr.dataset")).size() == 1);
        if (browser.findElements(By.cssSelector("#frames figure.frame[data-id='" + id + "']")).isEmpty()) {
            browser.findElement(By.cssSelector("#datasets tbody tr.dataset")).click();
        }
        waitFor("frame " + id + " listed", d -> d.findElements(By.cssSelector("#frames figure.frame[data-id='" + id + "'] button.edit")).size() == 1);
        browser.findElement(By.cssSelector("#frames figure.frame[data-id='" + id + "'] button.edit")).click();
        waitFor("the editor open with its frame decoded", d -> Boolean.TRUE.equals(((ChromeDriver) d).executeScript(
                "const e = document.getElementById('editor'); const i = document.querySelector('#editor-stage img');"
                        + "return !e.hidden && i !== null && i.complete && i.naturalWidth > 0;")));
    }

    /** Esc when a box is selected (with none, Esc closes the editor). */
    private void deselect() {
        if (!browser.findElements(By.cssSelector("#editor-svg g.selected")).isEmpty()) {
            new Actions(browser).sendKeys(Keys.ESCAPE).perform();
        }
        assertTrue(browser.findElements(By.cssSelector("#editor-svg g.selected")).isEmpty());
    }

    /** Selects box {@code index} with the keyboard: nothing selected, then Tab index + 1 times. */
    private void select(int index) {
        deselect();
        Actions a = new Actions(browser);
        for (int k = 0; k <= index; k++) {
            a.sendKeys(Keys.TAB);
        }
        a.perform();
        assertEquals(1, browser.findElements(By.cssSelector("#editor-svg g.selected rect.ebox[data-index='" + index + "']")).size());
    }

    /** A box whose centre no box after it (drawn above it) covers. */
    private static int uncovered(List<EBox> boxes) {
        for (int i = 0; i < boxes.size(); i++) {
            EBox b = boxes.get(i);
            double cx = b.x() + b.width() / 2;
            double cy = b.y() + b.height() / 2;
            boolean covered = false;
            for (int k = i + 1; k < boxes.size(); k++) {
                EBox o = boxes.get(k);
                covered |= cx >= o.x() - 8 && cx <= o.x() + o.width() + 8 && cy >= o.y() - 8 && cy <= o.y() + o.height() + 8;
            }
            if (!covered) {
                return i;
            }
        }
        return boxes.size() - 1;
    }

    private WebElement rect(int index) {
        return browser.findElement(By.cssSelector("#editor-svg rect.ebox[data-index='" + index + "']"));
    }

    private List<EBox> boxes() {
        List<EBox> out = new ArrayList<>();
        // in the editor's order (data-index): the selected box is drawn last, above the others
        List<WebElement> rects = new ArrayList<>(browser.findElements(By.cssSelector("#editor-svg rect.ebox")));
        rects.sort(java.util.Comparator.comparingInt(r -> Integer.parseInt(r.getAttribute("data-index"))));
        for (WebElement r : rects) {
            out.add(new EBox(r.getAttribute("data-label"), num(r, "x"), num(r, "y"), num(r, "width"), num(r, "height")));
        }
        return out;
    }

    private static double num(WebElement r, String attr) {
        return Double.parseDouble(r.getAttribute(attr));
    }

    private static List<EBox> fromApi(List<LabelBox> boxes) {
        List<EBox> out = new ArrayList<>();
        for (LabelBox b : boxes) {
            out.add(EBox.of(b.label(), b.x(), b.y(), b.width(), b.height()));
        }
        return out;
    }

    /** The top-left corner of a w x h area of the frame that no box overlaps, or null. */
    private static double[] emptySpot(List<EBox> boxes, int width, int height, double w, double h) {
        for (double y = 10; y + h < height - 10; y += 10) {
            for (double x = 10; x + w < width - 10; x += 10) {
                boolean free = true;
                for (EBox b : boxes) {
                    if (x < b.x() + b.width() + 4 && x + w + 4 > b.x() && y < b.y() + b.height() + 4 && y + h + 4 > b.y()) {
                        free = false;
                        break;
                    }
                }
                if (free) {
                    return new double[] {x, y};
                }
            }
        }
        return null;
    }

    private ReviewItem item(long id) {
        return annotator.items(gateway, camera, 0, 100).stream().filter(it -> it.imageId() == id).findFirst().orElseThrow();
    }

    private CocoDataset dataset() throws Exception {
        Field f = AnnotatorComponent.class.getDeclaredField("ingest");
        f.setAccessible(true);
        return ((SampleIngest) f.get(annotator)).datasets().get(gateway + "/" + camera);
    }

    private String body(long id, int revision, String boxes) {
        return "{\"gateway\":\"" + gateway + "\",\"camera\":\"" + camera + "\",\"id\":" + id + ",\"revision\":" + revision
                + ",\"boxes\":[" + boxes + "]}";
    }

    private HttpResponse<String> post(String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/api/boxes")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String error(HttpResponse<String> r) {
        return JsonParser.parseString(r.body()).getAsJsonObject().get("error").getAsString();
    }

    private String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    private <T> T waitFor(String what, Function<WebDriver, T> condition) {
        return new WebDriverWait(browser, Duration.ofSeconds(30)).withMessage(what).until(condition);
    }

}

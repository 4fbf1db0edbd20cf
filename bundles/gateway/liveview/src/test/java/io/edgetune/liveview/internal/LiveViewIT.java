package io.edgetune.liveview.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import io.edgetune.testsupport.Assets;
import io.edgetune.testsupport.FelixRuntime;
import io.edgetune.testsupport.HeadlessChromium;
import java.io.File;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The packaged bundle in Felix with SCR, ConfigAdmin, Felix HTTP Jetty and the real gateway stages
 * (capture on vtest.avi, motion, the TFLite detector with the real model), looked at by a real
 * headless chromium: the picture updates, the boxes are drawn on it, hostile camera ids stay text,
 * unknown cameras and other paths give 404, and on a non-loopback address the page needs a login.
 * Jetty listens on every address here, as a gateway reachable from its network would.
 */
public class LiveViewIT {

    private static final String PID = "io.edgetune.liveview.LiveView";
    private static final String CAMERA = "plaza";
    /** A camera id a page must show as text: quotes, markup and an ampersand. */
    private static final String HOSTILE = "cam\"'<img src=x id=injected>&amp;";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static FelixRuntime felix;
    private static int port;
    private static Path work;

    @BeforeClass
    public static void startGateway() throws Exception {
        work = Files.createTempDirectory(Path.of("target"), "liveview-it");
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Map<String, String> props = new HashMap<>();
        props.put("org.osgi.service.http.port", Integer.toString(port));
        props.put("org.apache.felix.http.host", "0.0.0.0");
        felix = FelixRuntime.start(work.resolve("felix"), props);
        List<File> runtime = new ArrayList<>(FelixRuntime.declarativeServices());
        runtime.add(FelixRuntime.artifact("org.apache.felix", "org.apache.felix.http.servlet-api", "1.2.0"));
        runtime.add(FelixRuntime.artifact("org.apache.felix", "org.apache.felix.http.jetty", "4.2.10"));
        runtime.add(FelixRuntime.artifact("com.google.code.gson", "gson", "2.9.0"));
        for (String b : new String[] {"io.edgetune.api", "io.edgetune.kura.api", "io.edgetune.model.pkg", "io.edgetune.bytedeco",
                "io.edgetune.bytedeco.natives.linux-x86_64", "io.edgetune.capture", "io.edgetune.motion", "io.edgetune.inference", "io.edgetune.tracker"}) {
            runtime.add(FelixRuntime.edgetune(b));
        }
        runtime.add(FelixRuntime.builtBundle("io.edgetune.liveview"));
        felix.installAndStart(runtime, true);

        felix.configure("io.edgetune.inference.Detector", Map.of("backend", "javacpp", "mode", "full_frame", "use.edgetpu", false,
                "threads", 2, "score.threshold", 0.4, "model.dir", work.resolve("models").toString(), "assets.dir", Assets.dir().toString()));
        felix.configureFactory("io.edgetune.capture.Camera", Map.of("camera.id", CAMERA, "source.uri", Assets.video().toString(),
                "target.fps", 5, "file.loop", true, "file.realtime", true));
        felix.configureFactory("io.edgetune.motion.MotionDetector", Map.of("camera.id", CAMERA));
        // the demo's zone (the front of the plaza); objects end soon after they leave, so END events with snapshots come early
        felix.configure("io.edgetune.tracker.Tracker", Map.of("zones", new String[] {CAMERA + ":front=0,330;767,330;767,575;0,575"},
                "confirm.hits", 3, "end.after.s", 1.0));
        // a second camera, frames only (no motion stage), whose id is markup
        felix.configureFactory("io.edgetune.capture.Camera", Map.of("camera.id", HOSTILE, "source.uri", Assets.video().toString(),
                "target.fps", 1, "file.loop", true, "file.realtime", true));
        felix.configure(PID, Map.of("refresh.ms", 200));
    }

    @AfterClass
    public static void stopGateway() throws Exception {
        if (felix != null) {
            felix.close();
        }
    }

    private static String base(String host) {
        return "http://" + host + ":" + port + "/edgetune/live";
    }

    private static HttpResponse<byte[]> get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Polls until the answer matches: Jetty, SCR, the whiteboard and the cameras start asynchronously. */
    private static HttpResponse<byte[]> await(String url, Predicate<HttpResponse<byte[]>> wanted) throws Exception {
        long deadline = System.nanoTime() + 90_000_000_000L;
        HttpResponse<byte[]> last = null;
        String failure = "";
        while (System.nanoTime() < deadline) {
            try {
                last = get(url);
                if (wanted.test(last)) {
                    return last;
                }
            } catch (IOException notYetListening) {
                failure = notYetListening.toString();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("GET " + url + " never gave the expected answer; last: "
                + (last == null ? failure : last.statusCode() + " " + new String(last.body())) + "; bundles " + felix.states());
    }

    /** An IPv4 address of this machine that is not loopback: where a browser on the network would connect. */
    private static String networkAddress() throws Exception {
        for (NetworkInterface n : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!n.isUp() || n.isLoopback()) {
                continue;
            }
            for (InetAddress a : Collections.list(n.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                    return a.getHostAddress();
                }
            }
        }
        throw new AssertionError("this machine has no non-loopback IPv4 address to test the login on");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> canvasState(ChromeDriver browser, String camera) {
        // one synchronous script: the data attributes and the pixels belong to the same drawing
        return (Map<String, Object>) ((JavascriptExecutor) browser).executeScript(
                "const s = [...document.querySelectorAll('section.camera')].find(n => n.dataset.camera === arguments[0]);"
                + "if (!s) return null; const c = s.querySelector('canvas');"
                + "if (!c.dataset.sequence) return {sequence: -1};"
                + "const g = c.getContext('2d'); const boxes = JSON.parse(c.dataset.boxes);"
                + "const px = (x, y) => Array.from(g.getImageData(x, y, 1, 1).data.slice(0, 3));"
                + "const edges = boxes.map(b => px(Math.round(b.x + b.w / 2), b.y + b.h));"
                + "const d = g.getImageData(0, 0, c.width, c.height).data; let sum = 0, sq = 0, n = 0;"
                + "for (let i = 0; i < d.length; i += 4 * 97) { const v = d[i + 1]; sum += v; sq += v * v; n++; }"
                + "const zoneRow = []; for (let x = 20; x < c.width; x += 40) zoneRow.push(px(x, Math.round(330 * c.width / 768)));"
                + "return {sequence: Number(c.dataset.sequence), width: c.width, height: c.height, boxes: boxes, edges: edges,"
                + " zones: JSON.parse(c.dataset.zones), zoneRow: zoneRow, variance: sq / n - (sum / n) * (sum / n)};",
                camera);
    }

    private static Map<String, Object> awaitCanvas(ChromeDriver browser, String camera, Predicate<Map<String, Object>> wanted) {
        Map<String, Object>[] last = new Map[1];
        try {
            new WebDriverWait(browser, Duration.ofSeconds(90)).until(b -> {
                last[0] = canvasState(browser, camera);
                return last[0] != null && wanted.test(last[0]);
            });
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("canvas of " + camera + " never as expected; last " + last[0] + "; page: "
                    + browser.findElement(By.tagName("body")).getText());
        }
        return last[0];
    }

    private static int matching(List<?> pixels, int r0, int g0, int b0) {
        int n = 0;
        for (Object o : pixels) {
            List<?> rgb = (List<?>) o;
            if (Math.abs(((Number) rgb.get(0)).intValue() - r0) < 40 && Math.abs(((Number) rgb.get(1)).intValue() - g0) < 40
                    && Math.abs(((Number) rgb.get(2)).intValue() - b0) < 40) {
                n++;
            }
        }
        return n;
    }

    @Test
    public void thePageShowsTheLiveFrameWithTracksZonesAndEvents() throws Exception {
        await(base("127.0.0.1") + "/api/cameras", r -> r.statusCode() == 200 && new String(r.body()).contains(CAMERA));
        ChromeDriver browser = HeadlessChromium.start(work.resolve("chromium-live"));
        try {
            browser.get(base("127.0.0.1") + "/");
            Map<String, Object> first = awaitCanvas(browser, CAMERA, s -> ((Number) s.get("sequence")).longValue() >= 0);
            assertEquals("the picture has the frame's size (768 wide, under the 960 cap)", 768L, ((Number) first.get("width")).longValue());
            assertTrue("a real picture, not a blank canvas: " + first.get("variance"), ((Number) first.get("variance")).doubleValue() > 100);
            long seq = ((Number) first.get("sequence")).longValue();
            awaitCanvas(browser, CAMERA, s -> ((Number) s.get("sequence")).longValue() > seq);

            // people walk through vtest.avi: the tracker's objects are drawn with their ids, in the state's colour
            // (the bottom edge's middle of a moving object's box is #00ff66 unless a later box or label covers it)
            Map<String, Object> withBoxes = awaitCanvas(browser, CAMERA, s -> ((List<?>) s.get("boxes")).stream()
                    .anyMatch(b -> String.valueOf(((Map<?, ?>) b).get("text")).matches("#\\d+ Person \\d+%"))
                    && matching((List<?>) s.get("edges"), 0, 255, 102) > 0);
            assertTrue(withBoxes.toString(), ((List<?>) withBoxes.get("zones")).contains("front"));
            // the zone's top edge (y = 330) is stroked in #33aaff where no box or label covers it
            assertTrue("zone edge drawn: " + withBoxes.get("zoneRow"), matching((List<?>) withBoxes.get("zoneRow"), 51, 170, 255) >= 5);
            String info = (String) ((JavascriptExecutor) browser).executeScript("return [...document.querySelectorAll('section.camera')]"
                    + ".find(n => n.dataset.camera === arguments[0]).querySelector('.info').textContent", CAMERA);
            assertTrue(info, info.contains("tracked objects"));
            String zones = browser.findElement(By.cssSelector("section.camera[data-camera='" + CAMERA + "'] ul.zones")).getText();
            assertTrue(zones, zones.startsWith("front: "));

            // objects that leave end; their END event is listed with its snapshot, which the browser decoded
            // read in one script: the list is rebuilt as events arrive, so an element found earlier can be gone
            String endEvent = new WebDriverWait(browser, Duration.ofSeconds(120)).until(b -> (String) ((JavascriptExecutor) b)
                    .executeScript("const img = [...document.querySelectorAll(\"section.camera li.event[data-type='END'] img\")]"
                            + ".find(i => i.closest('section.camera').dataset.camera === arguments[0] && i.naturalWidth > 0);"
                            + " return img ? img.parentElement.innerText : null", CAMERA));
            assertTrue(endEvent, endEvent.matches("(?s).* END #\\d+ \\S+.*"));

            // drawing a zone: three clicks on the picture give the corners in full-frame pixels
            WebElement plaza = browser.findElement(By.cssSelector("section.camera[data-camera='" + CAMERA + "']"));
            plaza.findElement(By.cssSelector("button.draw")).click();
            WebElement canvas = plaza.findElement(By.tagName("canvas"));
            double shownWidth = ((Number) ((JavascriptExecutor) browser).executeScript(
                    "return arguments[0].getBoundingClientRect().width", canvas)).doubleValue();
            int[][] clicks = {{-100, -80}, {120, -80}, {10, 150}};
            for (int[] c : clicks) {
                new Actions(browser).moveToElement(canvas, c[0], c[1]).click().perform();
            }
            String points = plaza.findElement(By.cssSelector("input.zone-points")).getAttribute("value");
            assertTrue(points, points.startsWith(CAMERA + ":zone1="));
            String[] xy = points.substring((CAMERA + ":zone1=").length()).split("[,;]");
            assertEquals(points, 6, xy.length);
            double scale = 768 / shownWidth;
            for (int i = 0; i < 3; i++) {
                double expectedX = 384 + clicks[i][0] * scale;
                double expectedY = 288 + clicks[i][1] * scale;
                assertEquals(points, expectedX, Double.parseDouble(xy[2 * i]), 3 * scale);
                assertEquals(points, expectedY, Double.parseDouble(xy[2 * i + 1]), 3 * scale);
            }

            // the hostile camera id is text: its heading reads exactly the id and no element came from it
            WebElement heading = new WebDriverWait(browser, Duration.ofSeconds(30)).until(b -> b.findElements(By.cssSelector("h2.camera-name"))
                    .stream().filter(h -> h.getText().equals(HOSTILE)).findFirst().orElse(null));
            assertNotNull(heading);
            assertTrue(browser.findElements(By.id("injected")).isEmpty());
            awaitCanvas(browser, HOSTILE, s -> ((Number) s.get("sequence")).longValue() >= 0);
        } finally {
            HeadlessChromium.stop(browser, null);
        }
    }

    @Test
    public void unknownCamerasAndOtherPathsAreNotFound() throws Exception {
        String base = base("127.0.0.1");
        await(base + "/api/cameras", r -> r.statusCode() == 200 && new String(r.body()).contains(CAMERA));
        assertEquals(404, get(base + "/api/view?camera=nobody").statusCode());
        assertEquals(404, get(base + "/api/frame?camera=..%2F..%2Fetc%2Fpasswd").statusCode());
        assertEquals(400, get(base + "/api/view").statusCode());
        assertEquals(404, get(base + "/static/live.js").statusCode());
        assertEquals(404, get(base + "/..%2F..%2Fetc/passwd").statusCode());
        assertEquals(404, get(base + "/api/snapshot?camera=" + CAMERA + "&event=999999999").statusCode());
        assertEquals(400, get(base + "/api/snapshot?camera=" + CAMERA + "&event=..%2F1").statusCode());
        HttpResponse<byte[]> frame = await(base + "/api/frame?camera=" + CAMERA, r -> r.statusCode() == 200);
        assertEquals("image/jpeg", frame.headers().firstValue("Content-Type").orElse(""));
        assertEquals((byte) 0xFF, frame.body()[0]);
        assertEquals((byte) 0xD8, frame.body()[1]);
        String view = new String(get(base + "/api/view?camera=" + java.net.URLEncoder.encode(HOSTILE, "UTF-8")).body());
        assertTrue(view, view.contains("\"camera\":"));
        // on the network address the loopback-only page is not there
        assertEquals(404, get(base(networkAddress()) + "/").statusCode());
        assertEquals(404, get(base(networkAddress()) + "/api/cameras").statusCode());
    }

    @Test
    public void boundToTheNetworkThePageNeedsItsLogin() throws Exception {
        String lan = networkAddress();
        try {
            // not loopback and no login: the component refuses to start, nothing is served
            felix.configure(PID, Map.of("bind.address", lan));
            await(base("127.0.0.1") + "/api/cameras", r -> r.statusCode() == 404);
            assertEquals(404, get(base(lan) + "/api/cameras").statusCode());

            felix.configure(PID, Map.of("bind.address", lan, "login.user", "operator", "login.password", "s3cret pass"));
            await(base(lan) + "/api/cameras", r -> r.statusCode() == 401);
            assertEquals("only the bound address", 404, get(base("127.0.0.1") + "/api/cameras").statusCode());
            assertEquals(401, get(base(lan) + "/api/frame?camera=" + CAMERA).statusCode());

            ChromeDriver browser = HeadlessChromium.start(work.resolve("chromium-login"));
            try {
                browser.get(base(lan) + "/");
                assertTrue(browser.getCurrentUrl(), browser.getCurrentUrl().endsWith("/login.html"));
                browser.findElement(By.id("user")).sendKeys("operator");
                browser.findElement(By.id("password")).sendKeys("wrong");
                browser.findElement(By.id("login")).click();
                new WebDriverWait(browser, Duration.ofSeconds(10)).until(b -> b.findElement(By.id("failed")).isDisplayed());

                browser.findElement(By.id("user")).clear();
                browser.findElement(By.id("user")).sendKeys("operator");
                browser.findElement(By.id("password")).sendKeys("s3cret pass");
                browser.findElement(By.id("login")).click();
                Map<String, Object> s = awaitCanvas(browser, CAMERA, x -> ((Number) x.get("sequence")).longValue() >= 0);
                long seq = ((Number) s.get("sequence")).longValue();
                awaitCanvas(browser, CAMERA, x -> ((Number) x.get("sequence")).longValue() > seq);
                assertFalse(browser.findElement(By.id("logout")).getAttribute("hidden") != null);

                browser.findElement(By.cssSelector("#logout button")).click();
                new WebDriverWait(browser, Duration.ofSeconds(10)).until(b -> b.getCurrentUrl().endsWith("/login.html"));
            } finally {
                HeadlessChromium.stop(browser, null);
            }
            assertNotEquals(200, get(base(lan) + "/api/view?camera=" + CAMERA).statusCode());
        } finally {
            felix.configure(PID, Map.of("refresh.ms", 200));
        }
    }
}

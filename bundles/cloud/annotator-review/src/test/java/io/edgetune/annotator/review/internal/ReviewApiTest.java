package io.edgetune.annotator.review.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.edgetune.api.annotate.DatasetSummary;
import io.edgetune.api.annotate.TrainingStatus;
import io.edgetune.api.annotate.Verdict;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Map;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/** The JSON API over HTTP against real datasets: answers, bad input and a missing annotator. */
public class ReviewApiTest {

    private static DirectoryAnnotatorService service;
    private static ReviewServer server;
    private static HttpClient http;
    private static long firstId;

    @BeforeClass
    public static void start() throws Exception {
        service = RealReviewData.freshService(Paths.get("target", "review-api"));
        server = new ReviewServer(service, 4);
        http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
        firstId = service.items(RealReviewData.GATEWAY, RealReviewData.CAMERA, 0, 1).get(0).imageId();
    }

    @AfterClass
    public static void stop() throws Exception {
        server.close();
    }

    private static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String plaza() {
        return "gateway=" + q(RealReviewData.GATEWAY) + "&camera=" + q(RealReviewData.CAMERA);
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String contentType, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.base + path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A JSON error with a reason and nothing of a Java stack trace or an HTML error page. */
    private static void assertError(HttpResponse<String> r, int status, String reasonPart) {
        assertEquals(r.uri() + " -> " + r.body(), status, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        Map<String, String> body = ReviewServlet.readFlatObject(r.body());
        assertTrue(r.body(), body.get("error").contains(reasonPart));
        assertFalse(r.body(), r.body().contains("Exception") || r.body().contains("\tat ") || r.body().contains("<html"));
    }

    @Test
    public void datasetsListBothCamerasWithTeacherCountsPerClass() throws Exception {
        HttpResponse<String> r = get("/api/datasets");
        assertEquals(200, r.statusCode());
        String body = r.body();
        // the hostile ids come back JSON-escaped, with < > & = ' as \\u escapes
        assertTrue(body, body.contains("cam\\u003cscript\\u003ewindow.xssRan\\u003d1\\u003c/script\\u003e"));
        assertFalse(body, body.contains("<script>"));
        DatasetSummary plaza = service.datasets().stream().filter(d -> d.camera().equals(RealReviewData.CAMERA)).findFirst().orElseThrow();
        int persons = plaza.teacherBoxesPerClass().getOrDefault("Person", 0);
        System.out.printf("plaza dataset: %d frames, teacher boxes per class %s%n", plaza.images(), plaza.teacherBoxesPerClass());
        assertTrue("the teacher found fewer than 5 persons per frame on the plaza: " + persons, persons >= 5 * plaza.images());
        assertTrue(body, body.contains("\"Person\":" + persons));
    }

    @Test
    public void itemsArePagedNewestFirstWithBothKindsOfBoxes() throws Exception {
        HttpResponse<String> r = get("/api/items?" + plaza() + "&offset=2&limit=3");
        assertEquals(r.body(), 200, r.statusCode());
        String body = r.body();
        // frames 0, 40 .. 200 newest first: offset 2 starts at the third-newest, frame 120 of the video (id 1120)
        assertTrue(body, body.contains("\"offset\":2,\"limit\":3,\"items\":[{\"id\":1120,"));
        assertTrue(body, body.contains("\"id\":1040,"));
        assertFalse(body, body.contains("\"id\":1000,"));
        assertEquals(3, body.split("\"split\":").length - 1);
        assertTrue(body, body.contains("\"teacher\":[{\"label\":\"Person\""));
        assertFalse("floats in their short form", java.util.regex.Pattern.compile("\\.\\d{5,}").matcher(body).find());
        assertTrue(body, body.contains("\"edge\":[{\"label\":\"Person\""));
    }

    @Test
    public void imageIsTheUploadedJpeg() throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(server.base + "/api/image?" + plaza() + "&id=" + firstId)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        assertEquals("image/jpeg", r.headers().firstValue("Content-Type").orElse(""));
        byte[] jpeg = r.body();
        assertTrue(jpeg.length > 10_000);
        assertEquals((byte) 0xFF, jpeg[0]);
        assertEquals((byte) 0xD8, jpeg[1]);
    }

    @Test
    public void unknownDatasetsAndImagesAre404() throws Exception {
        assertError(get("/api/items?gateway=nobody&camera=plaza"), 404, "no dataset nobody/plaza");
        assertError(get("/api/image?" + plaza() + "&id=999999"), 404, "no image 999999");
        assertError(get("/api/image?gateway=nobody&camera=x&id=1"), 404, "no image");
        assertError(post("/api/review", "application/json",
                "{\"gateway\":\"" + RealReviewData.GATEWAY + "\",\"camera\":\"plaza\",\"id\":999999,\"verdict\":\"REJECTED\"}"), 404, "999999");
        assertError(post("/api/train", "application/json", "{\"gateway\":\"nobody\",\"camera\":\"plaza\"}"), 404, "no dataset");
        assertError(get("/api/nothing"), 404, "no such API");
        assertError(get("/secret.txt"), 404, "no such page");
    }

    @Test
    public void malformedInputIs400AndChangesNothing() throws Exception {
        assertError(get("/api/items?" + plaza() + "&offset=-1"), 400, "offset");
        assertError(get("/api/items?" + plaza() + "&limit=abc"), 400, "limit");
        assertError(get("/api/items?" + plaza() + "&limit=100000"), 400, "limit");
        assertError(get("/api/items?camera=plaza"), 400, "missing parameter 'gateway'");
        assertError(get("/api/image?" + plaza() + "&id=1e3"), 400, "'id' must be an integer");
        String gw = RealReviewData.GATEWAY;
        assertError(post("/api/review", "application/json",
                "{\"gateway\":\"" + gw + "\",\"camera\":\"plaza\",\"id\":" + firstId + ",\"verdict\":\"MAYBE\"}"), 400, "verdict must be");
        assertError(post("/api/review", "application/json", "{\"gateway\":\"" + gw + "\",\"camera\":\"plaza\",\"id\":"), 400, "malformed JSON");
        assertError(post("/api/review", "application/json", "{\"gateway\":{\"nested\":1}}"), 400, "malformed JSON");
        assertError(post("/api/review", "application/json", "{\"gateway\":\"" + gw + "\",\"camera\":\"plaza\",\"verdict\":\"REJECTED\"}"),
                400, "missing parameter 'id'");
        // a plain HTML form post from another site is not JSON and never reaches the service
        assertError(post("/api/review", "application/x-www-form-urlencoded", plaza() + "&id=" + firstId + "&verdict=REJECTED"), 415, "application/json");
        assertError(post("/api/review", "application/json", "{\"x\":\"" + "a".repeat(5000) + "\"}"), 413, "over 4096 bytes");
        assertError(get("/api/review"), 405, "use POST");
        assertEquals(Verdict.PENDING, service.items(gw, RealReviewData.CAMERA, 0, 1).get(0).verdict());
    }

    @Test
    public void boxesAreReadStrictlyAndAServiceThatCannotStoreThemSaysSo() throws Exception {
        String gw = RealReviewData.GATEWAY;
        String head = "{\"gateway\":\"" + gw + "\",\"camera\":\"plaza\",\"id\":" + firstId + ",\"revision\":0,\"boxes\":";
        String box = "{\"label\":\"Person\",\"x\":1,\"y\":2,\"width\":30,\"height\":60}";
        assertError(post("/api/boxes", "application/x-www-form-urlencoded", head + "[" + box + "]}"), 415, "application/json");
        assertError(get("/api/boxes"), 405, "use POST");
        assertError(post("/api/boxes", "application/json", head + "[" + box.replace("\"x\":1", "\"x\":\"left\"") + "]}"), 400, "malformed boxes");
        assertError(post("/api/boxes", "application/json", head + "[" + box.replace("\"x\":1,", "") + "]}"), 400,
                "box 1 needs label, x, y, width and height");
        assertError(post("/api/boxes", "application/json", head + "[" + box + "],\"id\":3}"), 400, "field 'id' given twice");
        assertError(post("/api/boxes", "application/json", head.replace(",\"revision\":0", "") + "[" + box + "]}"), 400,
                "missing field 'revision'");
        assertError(post("/api/boxes", "application/json", head + "[" + box + "]} []"), 400, "malformed boxes");
        assertError(post("/api/boxes", "application/json", head.replace("\"plaza\"", "\"elsewhere\"") + "[" + box + "]}"), 404,
                "no dataset " + gw + "/elsewhere");
        // this stand-in has no box store (the annotator's own service has; RealAnnotatorReviewTest)
        assertError(post("/api/boxes", "application/json", head + "[" + box + "]}"), 501, "does not store edited boxes");
        assertEquals(0, service.items(gw, RealReviewData.CAMERA, 0, 1).get(0).revision());
    }

    @Test
    public void acceptingAFrameIsStoredAndAnswersTheNewCounts() throws Exception {
        long id = service.items(RealReviewData.GATEWAY, RealReviewData.CAMERA, 5, 1).get(0).imageId();
        HttpResponse<String> r = post("/api/review", "application/json; charset=utf-8",
                "{\"gateway\":\"" + RealReviewData.GATEWAY + "\",\"camera\":\"plaza\",\"id\":" + id + ",\"verdict\":\"accepted\"}");
        assertEquals(r.body(), 200, r.statusCode());
        assertTrue(r.body(), r.body().contains("\"verdict\":\"ACCEPTED\""));
        assertTrue(r.body(), r.body().contains("\"accepted\":1"));
        assertEquals(Verdict.ACCEPTED, service.items(RealReviewData.GATEWAY, RealReviewData.CAMERA, 5, 1).get(0).verdict());
    }

    @Test
    public void thePageAndItsResourcesCarryAStrictContentSecurityPolicy() throws Exception {
        HttpResponse<String> redirect = http.send(HttpRequest.newBuilder(URI.create(server.base)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(302, redirect.statusCode());
        assertTrue(redirect.headers().firstValue("Location").orElse("").endsWith("/edgetune/review/"));
        HttpResponse<String> page = get("/");
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<script src=\"review.js\" defer></script>"));
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("script-src 'self'"));
        assertEquals(200, get("/review.js").statusCode());
        assertEquals(200, get("/review.css").statusCode());
    }

    @Test
    public void withoutTheAnnotatorTheApiSays503AndThePageStillLoads() throws Exception {
        ReviewServer bare = new ReviewServer(null, 4);
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(bare.base + "/api/datasets")).build(), HttpResponse.BodyHandlers.ofString());
            assertError(r, 503, ReviewServlet.NOT_RUNNING);
            assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(bare.base + "/")).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        } finally {
            bare.close();
        }
    }

    @Test
    public void jsonWriterEscapesAndReaderReadsFlatObjects() {
        assertEquals("\"a\\\"b\\\\c\\n\\u003c/script\\u003e\\u0026\\u2028\"",
                ReviewServlet.json(w -> w.value("a\"b\\c\n</script>&\u2028")));
        Map<String, String> m = ReviewServlet.readFlatObject(" {\"a\" : \"x\\u003cy\\n\", \"n\": -12.5e2, \"t\": true, \"z\": null} ");
        assertEquals("x<y\n", m.get("a"));
        assertEquals("-12.5e2", m.get("n"));
        assertEquals("true", m.get("t"));
        assertTrue(m.containsKey("z"));
        // NaN has no JSON form (null), floats keep their short form, text is HTML-safe
        assertEquals("{\"state\":\"IDLE\",\"gateway\":null,\"camera\":null,\"epoch\":0,\"epochs\":0,\"loss\":null,"
                + "\"etaMillis\":0,\"startedMillis\":0,\"updatedMillis\":0,\"modelVersion\":null,\"message\":\"a\\u003cb\","
                + "\"metrics\":{\"f\":31.5,\"n\":null}}",
                ReviewServlet.training(new TrainingStatus("IDLE", null, null, 0, 0, Double.NaN, 0, 0, 0,
                        Map.of("n", Double.NaN, "f", 31.5), null, "a<b")));
        for (String bad : new String[] {"{\"a\":[1]}", "{\"a\":1} x", "[1]", "", "{\"a\":tru}"}) {
            try {
                ReviewServlet.readFlatObject(bad);
                throw new AssertionError("accepted " + bad);
            } catch (IllegalArgumentException expected) {
                // only flat objects, strict JSON
            }
        }
    }

    @Test
    public void prefixesThatAreNotPlainPathsFallBackToTheDefault() {
        assertEquals("/review", ReviewComponent.validPrefix("/review/"));
        assertEquals("/a/b-c_d.e", ReviewComponent.validPrefix(" /a/b-c_d.e "));
        assertEquals(ReviewComponent.DEFAULT_PREFIX, ReviewComponent.validPrefix("review"));
        assertEquals(ReviewComponent.DEFAULT_PREFIX, ReviewComponent.validPrefix("/x/*"));
        assertEquals(ReviewComponent.DEFAULT_PREFIX, ReviewComponent.validPrefix("/"));
        assertEquals(ReviewComponent.DEFAULT_PREFIX, ReviewComponent.validPrefix("/a/../b"));
    }
}

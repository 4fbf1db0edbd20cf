package io.edgetune.annotator.review.internal;

import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import io.edgetune.api.annotate.AnnotatorService;
import io.edgetune.api.annotate.DatasetSummary;
import io.edgetune.api.annotate.LabelBox;
import io.edgetune.api.annotate.ReviewItem;
import io.edgetune.api.annotate.StaleRevisionException;
import io.edgetune.api.annotate.TrainingStatus;
import io.edgetune.api.annotate.Verdict;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The review page and its JSON API, mounted at {@code <prefix>/*}:
 * <ul>
 * <li>{@code GET /} the page, {@code GET /review.js}, {@code /review.css} its resources</li>
 * <li>{@code GET /api/datasets}</li>
 * <li>{@code GET /api/items?gateway=&camera=&offset=&limit=}</li>
 * <li>{@code GET /api/image?gateway=&camera=&id=} (image/jpeg)</li>
 * <li>{@code POST /api/review} {@code {"gateway","camera","id","verdict"}}</li>
 * <li>{@code POST /api/boxes} {@code {"gateway","camera","id","revision","boxes":[{"label","x","y","width","height"}]}}</li>
 * <li>{@code GET /api/training}, {@code POST /api/train} {@code {"gateway","camera"}}</li>
 * </ul>
 * Errors are JSON {@code {"error": "..."}}: 400 malformed input, 404 unknown
 * dataset or image, 415 a POST that is not application/json (which also keeps
 * other sites' plain form posts out), 409 a stale revision of a frame's boxes, 503 when no annotator runs.
 */
final class ReviewServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ReviewServlet.class);
    static final String NOT_RUNNING = "annotator not running";
    private static final int MAX_BODY = 4096;
    /** A frame's boxes: at most 300 boxes of about 90 bytes each, plus room. */
    static final int MAX_BOXES_BODY = 64 * 1024;
    private static final int MAX_LABEL = 100;
    private static final Map<String, String> STATIC = Map.of(
            "/", "index.html",
            "/index.html", "index.html",
            "/review.js", "review.js",
            "/review.css", "review.css");

    private final transient Supplier<AnnotatorService> annotator;
    private final int defaultPageSize;
    private final int maxPageSize;

    ReviewServlet(Supplier<AnnotatorService> annotator, int defaultPageSize, int maxPageSize) {
        this.annotator = annotator;
        this.maxPageSize = Math.max(1, maxPageSize);
        this.defaultPageSize = Math.max(1, Math.min(defaultPageSize, this.maxPageSize));
    }

    /** A request the servlet refuses, with its status and a reason for people. */
    static class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        Refused(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    /** A save on a stale revision: 409 with the frame's current revision. */
    static final class Conflict extends Refused {
        private static final long serialVersionUID = 1L;
        final int current;

        Conflict(String message, int current) {
            super(409, message);
            this.current = current;
        }
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setHeader("X-Content-Type-Options", "nosniff");
        String path = req.getPathInfo();
        if (path == null) {
            // relative links in the page need the trailing slash
            resp.sendRedirect(req.getContextPath() + req.getServletPath() + "/");
            return;
        }
        try {
            String resource = STATIC.get(path);
            if (resource != null) {
                requireMethod(req, "GET");
                sendStatic(resp, resource);
                return;
            }
            if (!path.startsWith("/api/")) {
                throw new Refused(404, "no such page: " + path);
            }
            resp.setHeader("Cache-Control", "no-store");
            switch (path) {
                case "/api/datasets" -> {
                    requireMethod(req, "GET");
                    sendJson(resp, 200, datasets(service()));
                }
                case "/api/items" -> {
                    requireMethod(req, "GET");
                    sendJson(resp, 200, items(service(), req));
                }
                case "/api/image" -> {
                    requireMethod(req, "GET");
                    sendImage(service(), req, resp);
                }
                case "/api/review" -> {
                    requireMethod(req, "POST");
                    sendJson(resp, 200, review(service(), readFlat(readBody(req, MAX_BODY))));
                }
                case "/api/boxes" -> {
                    requireMethod(req, "POST");
                    sendJson(resp, 200, boxes(service(), readBody(req, MAX_BOXES_BODY)));
                }
                case "/api/training" -> {
                    requireMethod(req, "GET");
                    sendJson(resp, 200, training(service().training()));
                }
                case "/api/train" -> {
                    requireMethod(req, "POST");
                    train(service(), readFlat(readBody(req, MAX_BODY)), resp);
                }
                default -> throw new Refused(404, "no such API: " + path);
            }
        } catch (Conflict c) {
            sendError(resp, 409, c.getMessage(), c.current);
        } catch (Refused r) {
            sendError(resp, r.status, r.getMessage());
        } catch (IOException e) {
            // mostly a browser that went away mid-response; the service's own IO failures land here too
            LOG.warn("review page: {} {} failed: {}", req.getMethod(), path, e.toString());
            sendError(resp, 500, "input/output error: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("review page: {} {} failed", req.getMethod(), path, e);
            sendError(resp, 500, "internal error: " + e.getClass().getSimpleName());
        }
    }

    private AnnotatorService service() throws Refused {
        AnnotatorService s = annotator.get();
        if (s == null) {
            throw new Refused(503, NOT_RUNNING);
        }
        return s;
    }

    private static void requireMethod(HttpServletRequest req, String method) throws Refused {
        if (!method.equals(req.getMethod())) {
            throw new Refused(405, req.getMethod() + " not allowed here, use " + method);
        }
    }

    // ---- API ----

    static String datasets(AnnotatorService s) {
        return json(w -> {
            w.beginObject().name("datasets").beginArray();
            for (DatasetSummary d : s.datasets()) {
                writeSummary(w, d);
            }
            w.endArray().endObject();
        });
    }

    private static void writeSummary(JsonWriter w, DatasetSummary d) throws IOException {
        w.beginObject()
                .name("gateway").value(d.gateway())
                .name("camera").value(d.camera())
                .name("images").value(d.images())
                .name("train").value(d.train())
                .name("validation").value(d.validation())
                .name("accepted").value(d.accepted())
                .name("rejected").value(d.rejected())
                .name("activeModelVersion").value(d.activeModelVersion())
                .name("teacherBoxesPerClass").beginObject();
        // sorted so the page shows the classes in a stable order
        Map<String, Integer> perClass = d.teacherBoxesPerClass() == null ? Map.of() : new TreeMap<>(d.teacherBoxesPerClass());
        for (Map.Entry<String, Integer> e : perClass.entrySet()) {
            w.name(e.getKey()).value(e.getValue() == null ? 0 : e.getValue());
        }
        w.endObject().endObject();
    }

    private String items(AnnotatorService s, HttpServletRequest req) throws Refused {
        String gateway = required(req.getParameter("gateway"), "gateway");
        String camera = required(req.getParameter("camera"), "camera");
        int offset = intParam(req.getParameter("offset"), "offset", 0, 0, Integer.MAX_VALUE);
        int limit = intParam(req.getParameter("limit"), "limit", defaultPageSize, 1, maxPageSize);
        DatasetSummary d = summary(s, gateway, camera);
        List<ReviewItem> items = s.items(gateway, camera, offset, limit);
        return json(w -> {
            w.beginObject().name("dataset");
            writeSummary(w, d);
            w.name("classes").beginArray();
            for (String c : s.classes(gateway, camera)) {
                w.value(c);
            }
            w.endArray();
            w.name("offset").value(offset).name("limit").value(limit).name("items").beginArray();
            for (ReviewItem it : items) {
                w.beginObject()
                        .name("id").value(it.imageId())
                        .name("timestampMillis").value(it.timestampMillis())
                        .name("sequence").value(it.sequence())
                        .name("width").value(it.width())
                        .name("height").value(it.height())
                        .name("split").value(it.split())
                        .name("verdict").value(it.verdict() == null ? Verdict.PENDING.name() : it.verdict().name());
                writeBoxes(w.name("teacher"), it.teacher());
                writeBoxes(w.name("edge"), it.edge());
                writeBoxes(w.name("human"), it.human());
                w.name("revision").value(it.revision());
                w.endObject();
            }
            w.endArray().endObject();
        });
    }

    private static void writeBoxes(JsonWriter w, List<LabelBox> boxes) throws IOException {
        w.beginArray();
        if (boxes != null) {
            for (LabelBox b : boxes) {
                w.beginObject().name("label").value(b.label());
                number(w.name("x"), b.x());
                number(w.name("y"), b.y());
                number(w.name("width"), b.width());
                number(w.name("height"), b.height());
                number(w.name("score"), b.score());
                w.endObject();
            }
        }
        w.endArray();
    }

    private static void sendImage(AnnotatorService s, HttpServletRequest req, HttpServletResponse resp) throws Refused, IOException {
        String gateway = required(req.getParameter("gateway"), "gateway");
        String camera = required(req.getParameter("camera"), "camera");
        long id = longParam(req.getParameter("id"), "id");
        Optional<byte[]> jpeg = s.image(gateway, camera, id);
        if (jpeg.isEmpty()) {
            throw new Refused(404, "no image " + id + " in dataset " + gateway + "/" + camera);
        }
        byte[] bytes = jpeg.get();
        resp.setStatus(200);
        resp.setContentType("image/jpeg");
        resp.setContentLength(bytes.length);
        // frames never change under their id
        resp.setHeader("Cache-Control", "private, max-age=86400");
        resp.getOutputStream().write(bytes);
    }

    private static String review(AnnotatorService s, Map<String, String> body) throws Refused, IOException {
        String gateway = required(body.get("gateway"), "gateway");
        String camera = required(body.get("camera"), "camera");
        long id = longParam(body.get("id"), "id");
        String v = required(body.get("verdict"), "verdict");
        Verdict verdict;
        try {
            verdict = Verdict.valueOf(v.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new Refused(400, "verdict must be ACCEPTED, REJECTED or PENDING, not '" + v + "'");
        }
        try {
            s.review(gateway, camera, id, verdict);
        } catch (IllegalArgumentException e) {
            throw new Refused(404, e.getMessage() == null ? "unknown dataset or image" : e.getMessage());
        }
        DatasetSummary d = summary(s, gateway, camera);
        return json(w -> {
            w.beginObject().name("id").value(id).name("verdict").value(verdict.name()).name("dataset");
            writeSummary(w, d);
            w.endObject();
        });
    }

    /** Stores a person's boxes for a frame; the annotator checks them against the frame and the label map. */
    static String boxes(AnnotatorService s, String text) throws Refused, IOException {
        BoxesRequest b;
        try {
            b = readBoxes(text);
        } catch (IllegalArgumentException e) {
            throw new Refused(400, "malformed boxes: " + e.getMessage());
        }
        summary(s, b.gateway, b.camera);
        int revision;
        try {
            revision = s.saveBoxes(b.gateway, b.camera, b.id, b.revision, b.boxes);
        } catch (StaleRevisionException e) {
            throw new Conflict(e.getMessage(), e.current());
        } catch (NoSuchElementException e) {
            throw new Refused(404, e.getMessage() == null ? "unknown dataset or image" : e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new Refused(400, "boxes not stored: " + e.getMessage());
        } catch (UnsupportedOperationException e) {
            throw new Refused(501, "this annotator does not store edited boxes");
        }
        DatasetSummary d = summary(s, b.gateway, b.camera);
        return json(w -> {
            w.beginObject().name("id").value(b.id).name("revision").value(revision).name("boxes").value(b.boxes.size())
                    .name("dataset");
            writeSummary(w, d);
            w.endObject();
        });
    }

    /** What {@code POST api/boxes} carries. */
    record BoxesRequest(String gateway, String camera, long id, int revision, List<LabelBox> boxes) {
    }

    /**
     * Reads {@code {"gateway","camera","id","revision","boxes":[{"label","x","y","width","height"}]}} strictly:
     * every field once and required, no other field, finite numbers only, labels at most 100 characters, at most
     * 300 boxes (the annotator's own limit too).
     *
     * @throws IllegalArgumentException with a short reason
     */
    static BoxesRequest readBoxes(String text) {
        try {
            JsonReader r = new JsonReader(new StringReader(text));
            Map<String, Object> f = new LinkedHashMap<>();
            r.beginObject();
            while (r.hasNext()) {
                String key = r.nextName();
                if (f.containsKey(key)) {
                    throw new IllegalArgumentException("field '" + key + "' given twice");
                }
                switch (key) {
                    case "gateway", "camera" -> f.put(key, r.nextString());
                    case "id" -> f.put(key, r.nextLong());
                    case "revision" -> f.put(key, r.nextInt());
                    case "boxes" -> f.put(key, readBoxList(r));
                    default -> throw new IllegalArgumentException("unknown field '" + key + "'");
                }
            }
            r.endObject();
            if (r.peek() != JsonToken.END_DOCUMENT) {
                throw new IllegalArgumentException("text after the object");
            }
            for (String k : List.of("gateway", "camera", "id", "revision", "boxes")) {
                if (!f.containsKey(k)) {
                    throw new IllegalArgumentException("missing field '" + k + "'");
                }
            }
            @SuppressWarnings("unchecked")
            List<LabelBox> boxes = (List<LabelBox>) f.get("boxes");
            return new BoxesRequest((String) f.get("gateway"), (String) f.get("camera"), (Long) f.get("id"),
                    (Integer) f.get("revision"), boxes);
        } catch (IOException | IllegalStateException | NumberFormatException e) {
            throw new IllegalArgumentException(String.valueOf(e.getMessage()), e);
        }
    }

    private static List<LabelBox> readBoxList(JsonReader r) throws IOException {
        List<LabelBox> out = new ArrayList<>();
        r.beginArray();
        while (r.hasNext()) {
            if (out.size() == 300) {
                throw new IllegalArgumentException("more than 300 boxes");
            }
            String label = null;
            double[] v = {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
            r.beginObject();
            while (r.hasNext()) {
                String key = r.nextName();
                switch (key) {
                    case "label" -> label = r.nextString();
                    case "x" -> v[0] = r.nextDouble();
                    case "y" -> v[1] = r.nextDouble();
                    case "width" -> v[2] = r.nextDouble();
                    case "height" -> v[3] = r.nextDouble();
                    default -> throw new IllegalArgumentException("unknown field '" + key + "' in box " + (out.size() + 1));
                }
            }
            r.endObject();
            if (label == null || Double.isNaN(v[0]) || Double.isNaN(v[1]) || Double.isNaN(v[2]) || Double.isNaN(v[3])) {
                throw new IllegalArgumentException("box " + (out.size() + 1) + " needs label, x, y, width and height");
            }
            if (label.length() > MAX_LABEL) {
                throw new IllegalArgumentException("label of box " + (out.size() + 1) + " is longer than " + MAX_LABEL + " characters");
            }
            out.add(new LabelBox(label, (float) v[0], (float) v[1], (float) v[2], (float) v[3], 1f));
        }
        r.endArray();
        return out;
    }

    private static void train(AnnotatorService s, Map<String, String> body, HttpServletResponse resp) throws Refused, IOException {
        String gateway = required(body.get("gateway"), "gateway");
        String camera = required(body.get("camera"), "camera");
        summary(s, gateway, camera);
        boolean started = s.requestTraining(gateway, camera);
        sendJson(resp, started ? 202 : 409, json(w -> {
            w.beginObject().name("started").value(started);
            if (!started) {
                w.name("error").value("a retraining round is already running");
            }
            w.endObject();
        }));
    }

    static String training(TrainingStatus t) {
        return json(w -> {
            w.beginObject()
                    .name("state").value(t.state())
                    .name("gateway").value(t.gateway())
                    .name("camera").value(t.camera())
                    .name("epoch").value(t.epoch())
                    .name("epochs").value(t.epochs());
            number(w.name("loss"), t.loss())
                    .name("etaMillis").value(t.etaMillis())
                    .name("startedMillis").value(t.startedMillis())
                    .name("updatedMillis").value(t.updatedMillis())
                    .name("modelVersion").value(t.modelVersion())
                    .name("message").value(t.message())
                    .name("metrics").beginObject();
            Map<String, Double> metrics = t.metrics() == null ? Map.of() : new TreeMap<>(t.metrics());
            for (Map.Entry<String, Double> e : metrics.entrySet()) {
                number(w.name(e.getKey()), e.getValue() == null ? Double.NaN : e.getValue());
            }
            w.endObject().endObject();
        });
    }

    private static DatasetSummary summary(AnnotatorService s, String gateway, String camera) throws Refused {
        for (DatasetSummary d : s.datasets()) {
            if (d.gateway().equals(gateway) && d.camera().equals(camera)) {
                return d;
            }
        }
        throw new Refused(404, "no dataset " + gateway + "/" + camera);
    }

    // ---- input ----

    private static Map<String, String> readFlat(String text) throws Refused {
        try {
            return readFlatObject(text);
        } catch (IllegalArgumentException e) {
            throw new Refused(400, "malformed JSON: " + e.getMessage());
        }
    }

    /** The body of a JSON POST as text, at most {@code max} bytes. */
    private static String readBody(HttpServletRequest req, int max) throws Refused, IOException {
        String type = req.getContentType();
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new Refused(415, "send the request as application/json");
        }
        if (req.getContentLengthLong() > max) {
            throw new Refused(413, "request body over " + max + " bytes");
        }
        ByteArrayOutputStream buf = new ByteArrayOutputStream(256);
        try (InputStream in = req.getInputStream()) {
            byte[] chunk = new byte[1024];
            for (int n; (n = in.read(chunk)) > 0; ) {
                if (buf.size() + n > max) {
                    throw new Refused(413, "request body over " + max + " bytes");
                }
                buf.write(chunk, 0, n);
            }
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    /**
     * Reads one JSON object whose values are strings, numbers, booleans or null
     * (numbers as written, booleans as their text, null as Java null); a nested
     * value is refused, so the depth is one.
     *
     * @throws IllegalArgumentException with a short reason when the text is not such an object
     */
    static Map<String, String> readFlatObject(String text) {
        try {
            JsonReader r = new JsonReader(new StringReader(text));
            Map<String, String> out = new LinkedHashMap<>();
            r.beginObject();
            while (r.hasNext()) {
                String key = r.nextName();
                switch (r.peek()) {
                    case STRING, NUMBER -> out.put(key, r.nextString());
                    case BOOLEAN -> out.put(key, String.valueOf(r.nextBoolean()));
                    case NULL -> {
                        r.nextNull();
                        out.put(key, null);
                    }
                    default -> throw new IllegalArgumentException("nested values are not expected (at " + r.getPath() + ")");
                }
            }
            r.endObject();
            if (r.peek() != JsonToken.END_DOCUMENT) {
                throw new IllegalArgumentException("text after the object");
            }
            return out;
        } catch (IOException | IllegalStateException e) {
            throw new IllegalArgumentException(String.valueOf(e.getMessage()), e);
        }
    }

    private static String required(String value, String name) throws Refused {
        if (value == null || value.isEmpty()) {
            throw new Refused(400, "missing parameter '" + name + "'");
        }
        return value;
    }

    private static long longParam(String value, String name) throws Refused {
        try {
            return Long.parseLong(required(value, name));
        } catch (NumberFormatException e) {
            throw new Refused(400, "parameter '" + name + "' must be an integer, not '" + value + "'");
        }
    }

    private static int intParam(String value, String name, int absent, int min, int max) throws Refused {
        if (value == null || value.isEmpty()) {
            return absent;
        }
        int n;
        try {
            n = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new Refused(400, "parameter '" + name + "' must be an integer, not '" + value + "'");
        }
        if (n < min || n > max) {
            throw new Refused(400, "parameter '" + name + "' must be in [" + min + ", " + max + "], not " + n);
        }
        return n;
    }

    // ---- output ----

    private static void sendStatic(HttpServletResponse resp, String name) throws Refused, IOException {
        byte[] bytes;
        try (InputStream in = ReviewServlet.class.getResourceAsStream("static/" + name)) {
            if (in == null) {
                throw new Refused(404, "missing resource " + name);
            }
            bytes = in.readAllBytes();
        }
        String type = name.endsWith(".html") ? "text/html;charset=utf-8"
                : name.endsWith(".js") ? "text/javascript;charset=utf-8" : "text/css;charset=utf-8";
        resp.setStatus(200);
        resp.setContentType(type);
        if (name.endsWith(".html")) {
            // only this bundle's own script and style; no inline script, no framing (the buttons change data)
            resp.setHeader("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; script-src 'self'; "
                    + "style-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'");
            resp.setHeader("X-Frame-Options", "DENY");
        }
        resp.setHeader("Cache-Control", "no-cache");
        resp.setContentLength(bytes.length);
        resp.getOutputStream().write(bytes);
    }

    /** What a response body writes into Gson's writer. */
    interface JsonBody {
        void write(JsonWriter w) throws IOException;
    }

    /** One JSON document; HTML-safe ({@code < > & = '} as unicode escapes) so that a sniffed response never runs as HTML. */
    static String json(JsonBody body) {
        StringWriter out = new StringWriter(256);
        try (JsonWriter w = new JsonWriter(out)) {
            w.setHtmlSafe(true);
            body.write(w);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    /** NaN and infinities have no JSON form: they become null. */
    private static JsonWriter number(JsonWriter w, double d) throws IOException {
        return Double.isFinite(d) ? w.value(d) : w.nullValue();
    }

    /** Floats keep their own short decimal form (31.5, not 31.499999046325684). */
    private static JsonWriter number(JsonWriter w, float f) throws IOException {
        return Float.isFinite(f) ? w.value(Float.valueOf(f)) : w.nullValue();
    }

    private static void sendJson(HttpServletResponse resp, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        resp.setStatus(status);
        resp.setContentType("application/json;charset=utf-8");
        resp.setContentLength(bytes.length);
        resp.getOutputStream().write(bytes);
    }

    private static void sendError(HttpServletResponse resp, int status, String message) throws IOException {
        sendError(resp, status, message, -1);
    }

    /** The error as JSON; a conflict also says the frame's current revision. */
    private static void sendError(HttpServletResponse resp, int status, String message, int revision) throws IOException {
        if (resp.isCommitted()) {
            return;
        }
        resp.reset();
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setHeader("Cache-Control", "no-store");
        sendJson(resp, status, json(w -> {
            w.beginObject().name("error").value(message);
            if (revision >= 0) {
                w.name("revision").value(revision);
            }
            w.endObject();
        }));
    }
}

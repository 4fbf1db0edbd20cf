package io.edgetune.liveview.internal;

import com.google.gson.stream.JsonWriter;
import io.edgetune.api.track.TrackEvent;
import io.edgetune.api.track.TrackerService;
import io.edgetune.api.track.Zone;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;
import javax.servlet.http.Cookie;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live view page and its API, mounted at {@code <prefix>/*}:
 * <ul>
 * <li>{@code GET /} the page ({@code /login.html} first when a login is configured), {@code /live.js}, {@code /live.css}</li>
 * <li>{@code POST /login} (form fields user, password), {@code POST /logout}</li>
 * <li>{@code GET /api/cameras}</li>
 * <li>{@code GET /api/view?camera=} the newest picture's sequence, boxes, zones and the latest events (JSON)</li>
 * <li>{@code GET /api/frame?camera=&seq=} that picture (image/jpeg)</li>
 * <li>{@code GET /api/snapshot?camera=&event=} an event's snapshot (image/jpeg)</li>
 * </ul>
 * A request that reaches the HTTP service on another address than {@code bind.address} gets 404, as if the
 * page were not there. Camera ids are only ever map keys (no file is read by name); static resources come
 * from a fixed table, so no path leads anywhere else. Errors are JSON {@code {"error": "..."}}.
 */
final class LiveViewServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(LiveViewServlet.class);
    static final String COOKIE = "edgetune-live";
    private static final int MAX_FORM = 2048;
    private static final Map<String, String[]> STATIC = Map.of(
            "/", new String[] {"index.html", "text/html; charset=utf-8"},
            "/index.html", new String[] {"index.html", "text/html; charset=utf-8"},
            "/login.html", new String[] {"login.html", "text/html; charset=utf-8"},
            "/live.js", new String[] {"live.js", "text/javascript; charset=utf-8"},
            "/live.css", new String[] {"live.css", "text/css; charset=utf-8"});
    /** What a visitor without a session may fetch. */
    private static final List<String> PUBLIC = List.of("/login.html", "/live.css", "/login");

    private final transient LiveViewSettings settings;
    private final transient LiveFeed feed;
    private final transient Supplier<TrackerService> tracker;
    private final transient Sessions sessions;

    LiveViewServlet(LiveViewSettings settings, LiveFeed feed, Supplier<TrackerService> tracker) {
        this.settings = settings;
        this.feed = feed;
        this.tracker = tracker;
        this.sessions = settings.loginRequired() ? new Sessions(settings.loginUser(), settings.loginPassword()) : null;
    }

    /** A request the servlet refuses, with its status and a reason for people. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        Refused(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setHeader("X-Frame-Options", "DENY");
        resp.setHeader("Referrer-Policy", "no-referrer");
        resp.setHeader("Content-Security-Policy", "default-src 'self'; img-src 'self' blob:; style-src 'self'; script-src 'self'; "
                + "frame-ancestors 'none'; form-action 'self'; base-uri 'none'");
        String path = req.getPathInfo();
        try {
            if (!settings.accepts(req.getLocalAddr())) {
                throw new Refused(404, "not found");
            }
            if (path == null) {
                // relative links in the page need the trailing slash
                resp.sendRedirect(req.getContextPath() + req.getServletPath() + "/");
                return;
            }
            if (sessions != null && !PUBLIC.contains(path) && !sessions.valid(sessionToken(req))) {
                if (path.startsWith("/api/")) {
                    throw new Refused(401, "log in first");
                }
                resp.setHeader("Cache-Control", "no-store");
                resp.sendRedirect(req.getContextPath() + req.getServletPath() + "/login.html");
                return;
            }
            String[] resource = STATIC.get(path);
            if (resource != null) {
                requireMethod(req, "GET");
                sendStatic(resp, resource[0], resource[1]);
                return;
            }
            resp.setHeader("Cache-Control", "no-store");
            switch (path) {
                case "/login" -> {
                    requireMethod(req, "POST");
                    login(req, resp);
                }
                case "/logout" -> {
                    requireMethod(req, "POST");
                    if (sessions != null) {
                        sessions.logout(sessionToken(req));
                    }
                    setCookie(req, resp, "", 0);
                    resp.sendRedirect(req.getContextPath() + req.getServletPath() + "/");
                }
                case "/api/cameras" -> {
                    requireMethod(req, "GET");
                    sendJson(resp, cameras());
                }
                case "/api/view" -> {
                    requireMethod(req, "GET");
                    String camera = camera(req);
                    sendJson(resp, view(camera));
                }
                case "/api/frame" -> {
                    requireMethod(req, "GET");
                    String camera = camera(req);
                    Picture p = feed.picture(camera, number(req, "seq", -1));
                    if (p == null) {
                        throw new Refused(404, "no picture of this camera yet");
                    }
                    resp.setHeader("X-Frame-Sequence", Long.toString(p.sequence()));
                    sendJpeg(resp, p.jpeg());
                }
                case "/api/snapshot" -> {
                    requireMethod(req, "GET");
                    String camera = camera(req);
                    long id = number(req, "event", -1);
                    for (LiveFeed.Event e : feed.events(camera)) {
                        if (e.id() == id && e.event().snapshotJpeg() != null) {
                            resp.setHeader("Cache-Control", "private, max-age=3600");
                            sendJpeg(resp, e.event().snapshotJpeg());
                            return;
                        }
                    }
                    throw new Refused(404, "no such snapshot");
                }
                default -> throw new Refused(404, "not found");
            }
        } catch (Refused r) {
            sendError(resp, r.status, r.getMessage());
        } catch (IOException e) {
            // mostly a browser that went away mid-response
            LOG.debug("live view: {} {} failed: {}", req.getMethod(), path, e.toString());
        } catch (RuntimeException e) {
            LOG.error("live view: {} {} failed", req.getMethod(), path, e);
            sendError(resp, 500, "internal error: " + e.getClass().getSimpleName());
        }
    }

    private void login(HttpServletRequest req, HttpServletResponse resp) throws IOException, Refused {
        if (sessions == null) {
            resp.sendRedirect(req.getContextPath() + req.getServletPath() + "/");
            return;
        }
        String type = req.getContentType();
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")
                || req.getContentLengthLong() > MAX_FORM) {
            throw new Refused(400, "a login form, please");
        }
        String token = sessions.login(req.getParameter("user"), req.getParameter("password"));
        if (token == null) {
            LOG.warn("live view: failed login from {}", req.getRemoteAddr());
            byte[] page = new String(STATIC_BYTES.computeIfAbsent("login.html", LiveViewServlet::load), StandardCharsets.UTF_8)
                    .replace("class=\"failed\" hidden", "class=\"failed\"").getBytes(StandardCharsets.UTF_8);
            resp.setStatus(401);
            resp.setContentType("text/html; charset=utf-8");
            resp.setContentLength(page.length);
            resp.getOutputStream().write(page);
            return;
        }
        setCookie(req, resp, token, (int) (Sessions.LIFETIME_MILLIS / 1000));
        resp.sendRedirect(req.getContextPath() + req.getServletPath() + "/");
    }

    private void setCookie(HttpServletRequest req, HttpServletResponse resp, String value, int maxAge) {
        // by hand: the servlet API's Cookie has no SameSite; Strict keeps other sites' pages from using the session
        String path = req.getContextPath() + req.getServletPath() + "/";
        resp.addHeader("Set-Cookie", COOKIE + "=" + value + "; Path=" + path + "; Max-Age=" + maxAge + "; HttpOnly; SameSite=Strict"
                + (req.isSecure() ? "; Secure" : ""));
    }

    private static String sessionToken(HttpServletRequest req) {
        Cookie[] cookies = req.getCookies();
        if (cookies != null) {
            for (Cookie c : cookies) {
                if (COOKIE.equals(c.getName())) {
                    return c.getValue();
                }
            }
        }
        return null;
    }

    private String camera(HttpServletRequest req) throws Refused {
        String camera = req.getParameter("camera");
        if (camera == null || camera.isEmpty()) {
            throw new Refused(400, "camera is required");
        }
        if (!feed.knows(camera)) {
            throw new Refused(404, "no such camera");
        }
        return camera;
    }

    private static long number(HttpServletRequest req, String name, long absent) throws Refused {
        String v = req.getParameter(name);
        if (v == null || v.isEmpty()) {
            return absent;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new Refused(400, name + " must be a number");
        }
    }

    private String cameras() throws IOException {
        StringWriter out = new StringWriter();
        try (JsonWriter w = new JsonWriter(out)) {
            w.beginObject();
            w.name("refreshMs").value(settings.refreshMillis());
            w.name("login").value(settings.loginRequired());
            w.name("cameras").beginArray();
            for (String id : new TreeSet<>(feed.cameraIds())) {
                w.value(id);
            }
            w.endArray();
            w.endObject();
        }
        return out.toString();
    }

    private String view(String camera) throws IOException {
        feed.watch(camera);
        Picture p = feed.latest(camera);
        TrackerService t = tracker.get();
        List<Zone> zones = t == null ? List.of() : t.zones(camera);
        StringWriter out = new StringWriter();
        try (JsonWriter w = new JsonWriter(out)) {
            w.beginObject();
            w.name("camera").value(camera);
            w.name("tracker").value(t != null);
            if (p != null) {
                w.name("sequence").value(p.sequence());
                w.name("timestamp").value(p.timestampMillis());
                w.name("width").value(p.width());
                w.name("height").value(p.height());
                w.name("source").value(p.source());
                w.name("boxes").beginArray();
                for (Picture.Box b : p.boxes()) {
                    w.beginObject();
                    if (b.trackId() >= 0) {
                        w.name("id").value(b.trackId());
                    }
                    w.name("label").value(b.label());
                    w.name("score").value(b.score());
                    w.name("x").value(b.x()).name("y").value(b.y()).name("w").value(b.width()).name("h").value(b.height());
                    w.name("state").value(b.state());
                    w.name("zones").beginArray();
                    for (String z : b.zones()) {
                        w.value(z);
                    }
                    w.endArray();
                    w.endObject();
                }
                w.endArray();
                w.name("zoneCounts").beginObject();
                for (Map.Entry<String, Map<String, Integer>> z : p.zoneCounts().entrySet()) {
                    w.name(z.getKey()).beginObject();
                    for (Map.Entry<String, Integer> c : z.getValue().entrySet()) {
                        w.name(c.getKey()).value(c.getValue());
                    }
                    w.endObject();
                }
                w.endObject();
            }
            w.name("zones").beginArray();
            for (Zone z : zones) {
                w.beginObject().name("name").value(z.name()).name("points").beginArray();
                for (Float f : z.points()) {
                    w.value(f);
                }
                w.endArray().endObject();
            }
            w.endArray();
            w.name("events").beginArray();
            for (LiveFeed.Event e : feed.events(camera)) {
                TrackEvent ev = e.event();
                w.beginObject();
                w.name("id").value(e.id());
                w.name("type").value(ev.type().name());
                w.name("trackId").value(ev.trackId());
                w.name("label").value(ev.label());
                w.name("score").value(ev.score());
                w.name("zone").value(ev.zone());
                w.name("time").value(ev.timeMillis());
                w.name("duration").value(ev.durationMillis());
                w.name("snapshot").value(ev.snapshotJpeg() != null);
                w.endObject();
            }
            w.endArray();
            w.endObject();
        }
        return out.toString();
    }

    private static void requireMethod(HttpServletRequest req, String method) throws Refused {
        if (!method.equals(req.getMethod())) {
            throw new Refused(405, req.getMethod() + " not allowed here, use " + method);
        }
    }

    private static void sendStatic(HttpServletResponse resp, String name, String type) throws IOException {
        byte[] body = STATIC_BYTES.computeIfAbsent(name, LiveViewServlet::load);
        resp.setStatus(200);
        resp.setContentType(type);
        resp.setHeader("Cache-Control", "no-cache");
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }

    private static final Map<String, byte[]> STATIC_BYTES = new java.util.concurrent.ConcurrentHashMap<>();

    private static byte[] load(String name) {
        try (InputStream in = LiveViewServlet.class.getResourceAsStream("static/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource static/" + name);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sendJpeg(HttpServletResponse resp, byte[] jpeg) throws IOException {
        resp.setStatus(200);
        resp.setContentType("image/jpeg");
        resp.setContentLength(jpeg.length);
        resp.getOutputStream().write(jpeg);
    }

    private static void sendJson(HttpServletResponse resp, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        resp.setStatus(200);
        resp.setContentType("application/json; charset=utf-8");
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }

    private static void sendError(HttpServletResponse resp, int status, String message) throws IOException {
        if (resp.isCommitted()) {
            return;
        }
        resp.reset();
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setHeader("Cache-Control", "no-store");
        StringWriter out = new StringWriter();
        try (JsonWriter w = new JsonWriter(out)) {
            w.beginObject().name("error").value(message).endObject();
        }
        byte[] body = out.toString().getBytes(StandardCharsets.UTF_8);
        resp.setStatus(status);
        resp.setContentType("application/json; charset=utf-8");
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }
}

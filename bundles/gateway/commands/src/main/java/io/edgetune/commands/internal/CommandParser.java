package io.edgetune.commands.internal;

import java.util.List;
import org.eclipse.kura.message.KuraPayload;

/**
 * Turns verb + resource path + payload into a {@link Command}, or a
 * {@link CommandException}: 404 for resources that do not exist, 400 for
 * wrong verbs, missing or malformed parameters. Never throws anything else.
 *
 * <pre>
 * GET        status
 * GET        models
 * POST|EXEC  models/install            body = model package; metric activate (boolean, optional)
 * POST|EXEC  models/install            metrics url (http/https), sha256 (hex), activate (optional): download in the
 *                                      background; the reply names the operation at once
 * GET        models/operations/{id}    state and outcome of a background install
 * POST       models/upload/{id}        body = chunk; metrics offset, total.size (INT64), sha256, chunk.sha256
 * GET        models/upload/{id}        how many bytes the gateway holds
 * DEL        models/upload/{id}        abort, delete the partial package
 * POST|EXEC  models/upload/{id}/commit check the whole package, install it; metric activate (optional)
 * POST|EXEC  models/activate[/{ver}]   or metric version (string)
 * POST|EXEC  models/rollback
 *            (install, commit, activate and rollback take an optional metric camera.id: that camera only)
 * GET        cameras/{id}/snapshot
 * EXEC       cameras/{id}/reset
 * EXEC       samples/now               metric camera.id (string, optional; all cameras when absent)
 * </pre>
 */
public final class CommandParser {

    /** Longest accepted camera id or model version. */
    static final int MAX_ID_LENGTH = 128;

    private CommandParser() {
    }

    public static Command parse(String verb, List<String> resources, KuraPayload payload) throws CommandException {
        if (verb == null) {
            throw CommandException.badRequest("missing verb");
        }
        if (resources == null || resources.isEmpty()) {
            throw CommandException.badRequest("missing resource, e.g. GET status");
        }
        for (String r : resources) {
            if (r == null || r.isEmpty()) {
                throw CommandException.badRequest("empty resource level in " + resources);
            }
        }
        String top = resources.get(0);
        int n = resources.size();
        switch (top) {
            case "status":
                requireLength(resources, 1);
                requireVerb(verb, resources, "GET");
                return Command.of(Command.Kind.STATUS);
            case "models":
                return parseModels(verb, resources, payload);
            case "cameras":
                if (n != 3) {
                    throw CommandException.notFound("unknown resource " + String.join("/", resources)
                            + " (cameras/{id}/snapshot or cameras/{id}/reset)");
                }
                String camera = id(resources.get(1), "camera id");
                switch (resources.get(2)) {
                    case "snapshot":
                        requireVerb(verb, resources, "GET");
                        return new Command(Command.Kind.CAMERA_SNAPSHOT, camera, null, null, false);
                    case "reset":
                        requireVerb(verb, resources, "EXEC");
                        return new Command(Command.Kind.CAMERA_RESET, camera, null, null, false);
                    default:
                        throw CommandException.notFound("unknown camera resource '" + resources.get(2) + "' (snapshot, reset)");
                }
            case "samples":
                if (n != 2 || !resources.get(1).equals("now")) {
                    throw CommandException.notFound("unknown resource " + String.join("/", resources) + " (samples/now)");
                }
                requireVerb(verb, resources, "EXEC");
                Object cam = payload == null ? null : payload.getMetric("camera.id");
                String cameraId = cam == null ? null : id(stringMetric(cam, "camera.id"), "camera.id");
                return new Command(Command.Kind.SAMPLE_NOW, cameraId, null, null, false);
            default:
                throw CommandException.notFound("unknown resource '" + top + "' (status, models, cameras, samples)");
        }
    }

    private static Command parseModels(String verb, List<String> resources, KuraPayload payload) throws CommandException {
        if (resources.size() == 1) {
            requireVerb(verb, resources, "GET");
            return Command.of(Command.Kind.MODELS);
        }
        String action = resources.get(1);
        switch (action) {
            case "install": {
                requireLength(resources, 2);
                requireVerb(verb, resources, "POST", "EXEC");
                boolean activate = activate(payload);
                Object url = payload == null ? null : payload.getMetric("url");
                byte[] body = payload == null ? null : payload.getBody();
                if (url != null) {
                    if (body != null && body.length > 0) {
                        throw CommandException.badRequest("models/install takes either a body or metric url, not both");
                    }
                    String u = url(stringMetric(url, "url"));
                    String sha = sha256(payload, "sha256");
                    return new Command(Command.Kind.MODEL_INSTALL_URL, modelCamera(payload), null, null, activate,
                            new Command.Transfer(null, -1, -1, sha, null, null, u));
                }
                if (body == null || body.length == 0) {
                    throw CommandException.badRequest("models/install needs the model package as the payload body, or metrics url and sha256");
                }
                return new Command(Command.Kind.MODEL_INSTALL, modelCamera(payload), null, body, activate);
            }
            case "upload":
                return parseUpload(verb, resources, payload);
            case "operations": {
                if (resources.size() != 3) {
                    throw CommandException.notFound("unknown resource " + String.join("/", resources) + " (models/operations/{id})");
                }
                requireVerb(verb, resources, "GET");
                return new Command(Command.Kind.MODEL_OPERATION_STATUS, null, null, null, false,
                        new Command.Transfer(uploadId(resources.get(2)), -1, -1, null, null, null, null));
            }
            case "activate": {
                if (resources.size() > 3) {
                    throw CommandException.notFound("unknown resource " + String.join("/", resources));
                }
                requireVerb(verb, resources, "POST", "EXEC");
                String version;
                if (resources.size() == 3) {
                    version = resources.get(2);
                } else {
                    Object v = payload == null ? null : payload.getMetric("version");
                    if (v == null) {
                        throw CommandException.badRequest("models/activate needs a version: models/activate/{version} or metric version");
                    }
                    version = stringMetric(v, "version");
                }
                return new Command(Command.Kind.MODEL_ACTIVATE, modelCamera(payload), id(version, "model version"), null, false);
            }
            case "rollback":
                requireLength(resources, 2);
                requireVerb(verb, resources, "POST", "EXEC");
                return new Command(Command.Kind.MODEL_ROLLBACK, modelCamera(payload), null, null, false);
            default:
                throw CommandException.notFound("unknown model resource '" + action + "' (install, upload, operations, activate, rollback)");
        }
    }

    /** Longest accepted upload id. */
    static final int MAX_UPLOAD_ID_LENGTH = 64;
    private static final java.util.regex.Pattern UPLOAD_ID = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final java.util.regex.Pattern HEX64 = java.util.regex.Pattern.compile("[0-9a-fA-F]{64}");

    private static Command parseUpload(String verb, List<String> resources, KuraPayload payload) throws CommandException {
        if (resources.size() < 3 || resources.size() > 4) {
            throw CommandException.notFound("unknown resource " + String.join("/", resources)
                    + " (models/upload/{id} or models/upload/{id}/commit)");
        }
        String id = uploadId(resources.get(2));
        if (resources.size() == 4) {
            if (!resources.get(3).equals("commit")) {
                throw CommandException.notFound("unknown upload resource '" + resources.get(3) + "' (commit)");
            }
            requireVerb(verb, resources, "POST", "EXEC");
            return new Command(Command.Kind.MODEL_UPLOAD_COMMIT, modelCamera(payload), null, null, activate(payload),
                    new Command.Transfer(id, -1, -1, null, null, null, null));
        }
        requireVerb(verb, resources, "POST", "GET", "DEL");
        Command.Transfer idOnly = new Command.Transfer(id, -1, -1, null, null, null, null);
        switch (verb) {
            case "GET":
                return new Command(Command.Kind.MODEL_UPLOAD_STATUS, null, null, null, false, idOnly);
            case "DEL":
                return new Command(Command.Kind.MODEL_UPLOAD_ABORT, null, null, null, false, idOnly);
            default:
                break;
        }
        if (payload == null) {
            throw CommandException.badRequest("models/upload/{id} needs metrics offset, total.size, sha256, chunk.sha256 and the chunk as body");
        }
        long offset = longMetric(payload, "offset");
        long total = longMetric(payload, "total.size");
        if (offset < 0) {
            throw CommandException.badRequest("metric offset must not be negative: " + offset);
        }
        if (total <= 0) {
            throw CommandException.badRequest("metric total.size must be positive: " + total);
        }
        String sha = sha256(payload, "sha256");
        String chunkSha = sha256(payload, "chunk.sha256");
        byte[] body = payload.getBody();
        if (body == null || body.length == 0) {
            throw CommandException.badRequest("models/upload/{id} needs the chunk bytes as the payload body");
        }
        if (offset + body.length > total) {
            throw CommandException.badRequest("chunk at offset " + offset + " of " + body.length + " bytes ends beyond total.size " + total);
        }
        return new Command(Command.Kind.MODEL_UPLOAD_CHUNK, null, null, null, false,
                new Command.Transfer(id, offset, total, sha, chunkSha, body, null));
    }

    /** Optional metric camera.id of a model command: that camera only (its own model); absent: the gateway default. */
    private static String modelCamera(KuraPayload payload) throws CommandException {
        Object cam = payload == null ? null : payload.getMetric("camera.id");
        return cam == null ? null : id(stringMetric(cam, "camera.id"), "camera.id");
    }

    private static boolean activate(KuraPayload payload) throws CommandException {
        Object activate = payload == null ? null : payload.getMetric("activate");
        if (activate != null && !(activate instanceof Boolean)) {
            throw CommandException.badRequest("metric activate must be a boolean");
        }
        return Boolean.TRUE.equals(activate);
    }

    /** Upload ids become file names: a plain name, no separators, no leading dot. */
    static String uploadId(String s) throws CommandException {
        if (s == null || s.isEmpty()) {
            throw CommandException.badRequest("upload id is empty");
        }
        if (s.length() > MAX_UPLOAD_ID_LENGTH) {
            throw CommandException.badRequest("upload id is longer than " + MAX_UPLOAD_ID_LENGTH + " characters");
        }
        if (!UPLOAD_ID.matcher(s).matches()) {
            throw CommandException.badRequest("upload id must be letters, digits, '.', '_' or '-' and start with a letter or digit: '"
                    + printable(s) + "'");
        }
        return s;
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && i < MAX_UPLOAD_ID_LENGTH; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return b.toString();
    }

    private static long longMetric(KuraPayload payload, String name) throws CommandException {
        Object v = payload.getMetric(name);
        if (v == null) {
            throw CommandException.badRequest("missing metric " + name + " (INT64)");
        }
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof Integer i) {
            return i;
        }
        throw CommandException.badRequest("metric " + name + " must be an INT64, not " + v.getClass().getSimpleName());
    }

    private static String sha256(KuraPayload payload, String name) throws CommandException {
        Object v = payload == null ? null : payload.getMetric(name);
        if (v == null) {
            throw CommandException.badRequest("missing metric " + name + " (hex SHA-256)");
        }
        String s = stringMetric(v, name);
        if (!HEX64.matcher(s).matches()) {
            throw CommandException.badRequest("metric " + name + " must be 64 hex digits");
        }
        return s.toLowerCase(java.util.Locale.ROOT);
    }

    private static String url(String s) throws CommandException {
        java.net.URI uri;
        try {
            uri = new java.net.URI(s);
        } catch (java.net.URISyntaxException e) {
            throw CommandException.badRequest("metric url is not a valid URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw CommandException.badRequest("metric url must be http or https, not '" + scheme + "'");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw CommandException.badRequest("metric url has no host");
        }
        return uri.toString();
    }

    private static void requireLength(List<String> resources, int n) throws CommandException {
        if (resources.size() != n) {
            throw CommandException.notFound("unknown resource " + String.join("/", resources));
        }
    }

    private static void requireVerb(String verb, List<String> resources, String... allowed) throws CommandException {
        for (String a : allowed) {
            if (a.equals(verb)) {
                return;
            }
        }
        throw CommandException.badRequest(verb + " is not allowed on " + String.join("/", resources)
                + " (use " + String.join(" or ", allowed) + ")");
    }

    private static String stringMetric(Object v, String name) throws CommandException {
        if (!(v instanceof String s)) {
            throw CommandException.badRequest("metric " + name + " must be a string, not " + v.getClass().getSimpleName());
        }
        return s;
    }

    /** Ids and versions: printable, no path or topic separators, bounded length. */
    static String id(String s, String what) throws CommandException {
        if (s == null || s.isBlank()) {
            throw CommandException.badRequest(what + " is empty");
        }
        if (s.length() > MAX_ID_LENGTH) {
            throw CommandException.badRequest(what + " is longer than " + MAX_ID_LENGTH + " characters");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '/' || c == '\\' || c == '+' || c == '#') {
                throw CommandException.badRequest(what + " contains a forbidden character (control, '/', '\\', '+', '#')");
            }
        }
        if (s.equals(".") || s.equals("..")) {
            throw CommandException.badRequest(what + " must not be '.' or '..'");
        }
        return s;
    }
}

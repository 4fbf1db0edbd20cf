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
 * POST|EXEC  models/activate[/{ver}]   or metric version (string)
 * POST|EXEC  models/rollback
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
                byte[] body = payload == null ? null : payload.getBody();
                if (body == null || body.length == 0) {
                    throw CommandException.badRequest("models/install needs the model package as the payload body");
                }
                Object activate = payload.getMetric("activate");
                if (activate != null && !(activate instanceof Boolean)) {
                    throw CommandException.badRequest("metric activate must be a boolean");
                }
                return new Command(Command.Kind.MODEL_INSTALL, null, null, body, Boolean.TRUE.equals(activate));
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
                return new Command(Command.Kind.MODEL_ACTIVATE, null, id(version, "model version"), null, false);
            }
            case "rollback":
                requireLength(resources, 2);
                requireVerb(verb, resources, "POST", "EXEC");
                return Command.of(Command.Kind.MODEL_ROLLBACK);
            default:
                throw CommandException.notFound("unknown model resource '" + action + "' (install, activate, rollback)");
        }
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

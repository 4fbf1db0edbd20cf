package io.edgetune.modelpackage;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import io.edgetune.api.model.ModelDescriptor;
import io.edgetune.api.model.ModelException;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * manifest.json: the model descriptor as JSON, the one mapping between the
 * two. Written compact, fields in a fixed order, so the same descriptor gives
 * the same (signed) bytes; read with bounds, because on the gateway the
 * bytes come from the network: at most {@value #MAX_BYTES} bytes and
 * {@value #MAX_DEPTH} levels of nesting (Gson's own tree reader recurses
 * without a limit).
 */
public final class Manifest {

    public static final int MAX_BYTES = 1 << 20;
    public static final int MAX_DEPTH = 64;

    private Manifest() {
    }

    /** Compact, nulls kept, no HTML escapes: the exact bytes packagers have always signed. */
    private static final Gson MANIFEST_TEXT = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();

    /**
     * The descriptor as a JSON object, fields in the manifest's order; metrics
     * that JSON cannot hold (NaN, infinite) are left out. Replies that describe
     * a model (the gateway's commands) use this too, so there is one mapping.
     */
    public static JsonObject toJson(ModelDescriptor d) {
        JsonObject m = new JsonObject();
        m.addProperty("version", d.version());
        m.addProperty("sha256", d.sha256());
        JsonArray labels = new JsonArray();
        for (String label : d.labels() == null ? List.<String>of() : d.labels()) {
            labels.add(label);
        }
        m.add("labels", labels);
        m.addProperty("inputWidth", d.inputWidth());
        m.addProperty("inputHeight", d.inputHeight());
        m.addProperty("anchors", d.anchors());
        m.addProperty("baseVersion", d.baseVersion());
        JsonObject metrics = new JsonObject();
        if (d.metrics() != null) {
            for (Map.Entry<String, Double> e : d.metrics().entrySet()) {
                Double v = e.getValue();
                if (v != null && !v.isNaN() && !v.isInfinite()) {
                    metrics.addProperty(e.getKey(), v);
                }
            }
        }
        m.add("metrics", metrics);
        m.addProperty("createdMillis", d.createdMillis());
        m.addProperty("edgeTpu", d.edgeTpu());
        return m;
    }

    /** The manifest bytes of the descriptor (UTF-8). */
    public static byte[] bytes(ModelDescriptor d) {
        return bytes(d, Builds.NONE);
    }

    /** The manifest bytes of the descriptor and the hashes of its optional builds (UTF-8). */
    public static byte[] bytes(ModelDescriptor d, Builds builds) {
        JsonObject m = toJson(d);
        if (builds.int8Sha256() != null) {
            m.addProperty(PackageLayout.INT8_SHA256, builds.int8Sha256());
        }
        if (builds.edgeTpuSha256() != null) {
            m.addProperty(PackageLayout.EDGETPU_SHA256, builds.edgeTpuSha256());
        }
        return MANIFEST_TEXT.toJson(m).getBytes(StandardCharsets.UTF_8);
    }

    /** The hashes of the optional builds a manifest names. */
    public static Builds builds(JsonObject m) {
        return new Builds(text(m, PackageLayout.INT8_SHA256, null), text(m, PackageLayout.EDGETPU_SHA256, null));
    }

    /** Writes the descriptor's manifest into a version directory. */
    public static void write(ModelDescriptor d, Path dir) throws IOException {
        Files.write(dir.resolve(PackageLayout.MANIFEST), bytes(d));
    }

    /** Reads the manifest of a package or version directory; labels may come from labels.txt. */
    public static ModelDescriptor read(Path dir) throws ModelException {
        return descriptor(readObject(dir), dir.resolve(PackageLayout.LABELS));
    }

    /** The manifest of a package or version directory as a JSON object, read within the bounds. */
    public static JsonObject readObject(Path dir) throws ModelException {
        Path file = dir.resolve(PackageLayout.MANIFEST);
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (NoSuchFileException e) {
            throw new ModelException("model package has no " + PackageLayout.MANIFEST);
        } catch (IOException e) {
            throw new ModelException("cannot read " + PackageLayout.MANIFEST + ": " + e.getMessage(), e);
        }
        if (bytes.length > MAX_BYTES) {
            throw new ModelException(PackageLayout.MANIFEST + " is larger than " + MAX_BYTES + " bytes");
        }
        try {
            return parse(new String(bytes, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new ModelException(PackageLayout.MANIFEST + " is not readable JSON: " + e.getMessage(), e);
        }
    }

    /** The descriptor a manifest object describes. */
    public static ModelDescriptor descriptor(JsonObject m, Path labelsFile) throws ModelException {
        String version = text(m, "version", null);
        if (version == null || !PackageLayout.VERSION.matcher(version).matches()) {
            throw new ModelException(PackageLayout.MANIFEST + ": 'version' missing or not a plain name ([A-Za-z0-9._-], up to 64 chars): "
                    + version);
        }
        List<String> labels = new ArrayList<>();
        if (m.get("labels") instanceof JsonArray list) {
            for (JsonElement e : list) {
                labels.add(e.isJsonPrimitive() ? e.getAsString() : e.toString());
            }
        } else if (labelsFile != null && Files.isRegularFile(labelsFile)) {
            try {
                labels.addAll(LabelFile.parse(Files.readAllLines(labelsFile, StandardCharsets.UTF_8)));
            } catch (IOException | IllegalArgumentException e) {
                throw new ModelException("cannot read " + PackageLayout.LABELS + ": " + e.getMessage(), e);
            }
        }
        if (labels.isEmpty()) {
            throw new ModelException(PackageLayout.MANIFEST + ": no labels (give 'labels' or a " + PackageLayout.LABELS + ")");
        }
        int w = (int) number(m, "inputWidth", 0);
        int h = (int) number(m, "inputHeight", w);
        Map<String, Double> metrics = new LinkedHashMap<>();
        if (m.get("metrics") instanceof JsonObject mm) {
            for (Map.Entry<String, JsonElement> e : mm.entrySet()) {
                if (e.getValue() instanceof JsonPrimitive p && p.isNumber()) {
                    metrics.put(e.getKey(), p.getAsDouble());
                }
            }
        }
        JsonElement tpu = m.get("edgeTpu");
        boolean edgeTpu = tpu instanceof JsonPrimitive p && p.isBoolean() && p.getAsBoolean();
        return new ModelDescriptor(version, text(m, "sha256", ""), List.copyOf(labels), w, h,
                text(m, "anchors", PackageLayout.DEFAULT_ANCHORS), text(m, "baseVersion", null), Map.copyOf(metrics),
                (long) number(m, "createdMillis", 0), edgeTpu);
    }

    /** A field as text; {@code dflt} when it is missing or null. */
    public static String text(JsonObject m, String key, String dflt) {
        JsonElement v = m.get(key);
        if (v == null || v.isJsonNull()) {
            return dflt;
        }
        return v.isJsonPrimitive() ? v.getAsString() : v.toString();
    }

    private static double number(JsonObject m, String key, double dflt) {
        return m.get(key) instanceof JsonPrimitive p && p.isNumber() ? p.getAsDouble() : dflt;
    }

    /**
     * Parses a JSON object within the bounds (strict JSON, one value, at most
     * {@value #MAX_DEPTH} levels of nesting).
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static JsonObject parse(String text) {
        if (text.length() > MAX_BYTES) {
            throw new IllegalArgumentException("JSON: longer than " + MAX_BYTES + " characters");
        }
        try (JsonReader r = new JsonReader(new StringReader(text))) {
            r.setLenient(false);
            JsonElement v = value(r, 1);
            if (r.peek() != JsonToken.END_DOCUMENT) {
                throw new IllegalArgumentException("JSON: unexpected trailing text at " + r.getPath());
            }
            if (!(v instanceof JsonObject o)) {
                throw new IllegalArgumentException("JSON: expected an object at the top level");
            }
            return o;
        } catch (IOException | IllegalStateException | NumberFormatException e) {
            throw new IllegalArgumentException("JSON: " + e.getMessage(), e);
        }
    }

    private static JsonElement value(JsonReader r, int depth) throws IOException {
        JsonToken t = r.peek();
        if ((t == JsonToken.BEGIN_OBJECT || t == JsonToken.BEGIN_ARRAY) && depth > MAX_DEPTH) {
            throw new IllegalArgumentException("JSON: nested deeper than " + MAX_DEPTH + " levels at " + r.getPath());
        }
        switch (t) {
            case BEGIN_OBJECT: {
                JsonObject o = new JsonObject();
                r.beginObject();
                while (r.hasNext()) {
                    String name = r.nextName();
                    o.add(name, value(r, depth + 1));
                }
                r.endObject();
                return o;
            }
            case BEGIN_ARRAY: {
                JsonArray a = new JsonArray();
                r.beginArray();
                while (r.hasNext()) {
                    a.add(value(r, depth + 1));
                }
                r.endArray();
                return a;
            }
            case STRING:
                return new JsonPrimitive(r.nextString());
            case NUMBER:
                return new JsonPrimitive(new BigDecimal(r.nextString()));
            case BOOLEAN:
                return new JsonPrimitive(r.nextBoolean());
            case NULL:
                r.nextNull();
                return JsonNull.INSTANCE;
            default:
                throw new IllegalArgumentException("JSON: unexpected " + t + " at " + r.getPath());
        }
    }
}

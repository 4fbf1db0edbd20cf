package io.edgetune.inference.internal;

import io.edgetune.api.model.ModelDescriptor;
import io.edgetune.api.model.ModelException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** manifest.json of a model version: reading, writing, checksums. */
public final class Manifests {

    public static final String MANIFEST = "manifest.json";
    public static final String MODEL = "model.tflite";
    public static final String EDGETPU_MODEL = "model_edgetpu.tflite";
    public static final String LABELS = "labels.txt";
    public static final String SIGNATURE = "manifest.sig";
    public static final String DEFAULT_ANCHORS = "ssd-mobilenet-v2:300";
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private Manifests() {
    }

    /** Reads manifest.json of a package or version directory (labels may come from labels.txt). */
    public static ModelDescriptor read(Path dir) throws ModelException {
        Path file = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(file)) {
            throw new ModelException("model package has no " + MANIFEST);
        }
        Map<String, Object> m;
        try {
            m = Json.parseObject(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException | IllegalArgumentException e) {
            throw new ModelException(MANIFEST + " is not readable JSON: " + e.getMessage(), e);
        }
        String version = str(m, "version", null);
        if (version == null || !VERSION.matcher(version).matches()) {
            throw new ModelException(MANIFEST + ": 'version' missing or not a plain name ([A-Za-z0-9._-], up to 64 chars): " + version);
        }
        List<String> labels = new ArrayList<>();
        Object l = m.get("labels");
        if (l instanceof List<?> list) {
            for (Object o : list) {
                labels.add(String.valueOf(o));
            }
        } else if (Files.isRegularFile(dir.resolve(LABELS))) {
            try {
                for (String line : Files.readAllLines(dir.resolve(LABELS), StandardCharsets.UTF_8)) {
                    if (!line.isBlank()) {
                        labels.add(line.trim());
                    }
                }
            } catch (IOException e) {
                throw new ModelException("cannot read " + LABELS + ": " + e.getMessage(), e);
            }
        }
        if (labels.isEmpty()) {
            throw new ModelException(MANIFEST + ": no labels (give 'labels' or a " + LABELS + ")");
        }
        int w = num(m, "inputWidth", 0);
        int h = num(m, "inputHeight", w);
        Map<String, Double> metrics = new LinkedHashMap<>();
        if (m.get("metrics") instanceof Map<?, ?> mm) {
            for (Map.Entry<?, ?> e : mm.entrySet()) {
                if (e.getValue() instanceof Number n) {
                    metrics.put(String.valueOf(e.getKey()), n.doubleValue());
                }
            }
        }
        return new ModelDescriptor(version, str(m, "sha256", ""), List.copyOf(labels), w, h,
                str(m, "anchors", DEFAULT_ANCHORS), str(m, "baseVersion", null), Map.copyOf(metrics),
                (long) num(m, "createdMillis", 0), Boolean.TRUE.equals(m.get("edgeTpu")));
    }

    /** The manifest map as written into a version directory. */
    public static Map<String, Object> toMap(ModelDescriptor d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", d.version());
        m.put("sha256", d.sha256());
        m.put("labels", d.labels());
        m.put("inputWidth", d.inputWidth());
        m.put("inputHeight", d.inputHeight());
        m.put("anchors", d.anchors());
        m.put("baseVersion", d.baseVersion());
        m.put("metrics", d.metrics());
        m.put("createdMillis", d.createdMillis());
        m.put("edgeTpu", d.edgeTpu());
        return m;
    }

    public static void write(ModelDescriptor d, Path dir) throws IOException {
        Files.writeString(dir.resolve(MANIFEST), Json.write(toMap(d)), StandardCharsets.UTF_8);
    }

    public static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String str(Map<String, Object> m, String key, String dflt) {
        Object v = m.get(key);
        return v == null ? dflt : String.valueOf(v);
    }

    private static int num(Map<String, Object> m, String key, int dflt) {
        return m.get(key) instanceof Number n ? n.intValue() : dflt;
    }
}

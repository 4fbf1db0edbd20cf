package io.edgetune.model.delivery;

import io.edgetune.api.model.ModelDescriptor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/** The real model and label map from ${edgetune.assets}, and package surgery for the tamper tests. */
final class Assets {

    private static byte[] model;

    private Assets() {
    }

    static Path dir() {
        return Path.of(System.getProperty("edgetune.assets", System.getProperty("user.home") + "/.cache/edgetune"));
    }

    static synchronized byte[] model() throws IOException {
        if (model == null) {
            model = Files.readAllBytes(dir().resolve("ssd_mobilenetv2_oidv4_fp16.tflite"));
        }
        return model;
    }

    static List<String> labels() throws IOException {
        return Files.readAllLines(dir().resolve("oidv4_labelmap.txt"), StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isBlank()).map(String::trim).toList();
    }

    /** A descriptor as the annotator would write it for a fine-tuned copy of the base model. */
    static ModelDescriptor descriptor(String version) throws IOException {
        return new ModelDescriptor(version, null, labels(), 300, 300, "ssd-mobilenet-v2:300", "base-oidv4",
                Map.of("ap50", 0.61, "recall50", 0.72), System.currentTimeMillis(), false);
    }

    static Map<String, byte[]> unzip(byte[] zip) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                out.put(e.getName(), in.readAllBytes());
            }
        }
        return out;
    }

    static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        return bytes.toByteArray();
    }
}

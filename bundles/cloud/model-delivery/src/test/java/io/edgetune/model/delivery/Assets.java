package io.edgetune.model.delivery;

import io.edgetune.api.model.ModelDescriptor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The real model and label map from ${edgetune.assets}. */
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
}

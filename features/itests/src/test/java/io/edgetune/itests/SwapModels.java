package io.edgetune.itests;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * A second model that differs from the base model in its weights, for hot
 * swap tests: the lowest mantissa bit of fp16 weights in the middle of the
 * file (the weight buffers; the flatbuffer's tables sit at its ends) is
 * flipped, so the graph is the same, the SHA-256 differs and the detector has
 * to build a new interpreter.
 */
final class SwapModels {

    private SwapModels() {
    }

    static Path differentPackage(Path assets, String version) throws IOException, GeneralSecurityException {
        byte[] model = Files.readAllBytes(assets.resolve("ssd_mobilenetv2_oidv4_fp16.tflite"));
        for (int i = (int) (model.length * 0.4) & ~1; i < model.length * 0.6; i += 64) {
            model[i] ^= 1;
        }
        Path dir = Files.createTempDirectory("swap-model");
        Files.write(dir.resolve("model.tflite"), model);
        Files.copy(assets.resolve("oidv4_labelmap.txt"), dir.resolve("labels.txt"));
        // runs inside the Pax Exam probe, where test-support is not installed: the JDK's digest directly
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(model));
        JsonObject manifest = new JsonObject();
        manifest.addProperty("version", version);
        manifest.addProperty("sha256", sha256);
        manifest.addProperty("inputWidth", 300);
        manifest.addProperty("inputHeight", 300);
        manifest.addProperty("baseVersion", "base-oidv4");
        Files.writeString(dir.resolve("manifest.json"), manifest.toString(), StandardCharsets.UTF_8);
        return dir;
    }
}

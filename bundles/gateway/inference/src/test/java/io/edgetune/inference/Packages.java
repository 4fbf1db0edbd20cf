package io.edgetune.inference;

import io.edgetune.inference.internal.Json;
import io.edgetune.inference.internal.Manifests;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Builds model packages from the real model for the tests. */
final class Packages {

    private Packages() {
    }

    /** A package directory: the given model bytes, a manifest naming them, signed when a key is given. */
    static Path directory(Path dir, String version, byte[] model, String sha256, PrivateKey signer) throws IOException, GeneralSecurityException {
        Files.createDirectories(dir);
        Files.write(dir.resolve(Manifests.MODEL), model);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", version);
        m.put("sha256", sha256 != null ? sha256 : Manifests.sha256(dir.resolve(Manifests.MODEL)));
        m.put("labels", TestAssets.labels());
        m.put("inputWidth", 300);
        m.put("inputHeight", 300);
        m.put("anchors", "ssd-mobilenet-v2:300");
        m.put("baseVersion", "base-oidv4");
        m.put("metrics", Map.of("ap50", 0.5));
        m.put("createdMillis", System.currentTimeMillis());
        byte[] manifest = Json.write(m).getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve(Manifests.MANIFEST), manifest);
        if (signer != null) {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(signer);
            s.update(manifest);
            Files.writeString(dir.resolve(Manifests.SIGNATURE), Base64.getEncoder().encodeToString(s.sign()));
        }
        return dir;
    }

    static Path zip(Path dir, Path zip) throws IOException {
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
            try (var files = Files.list(dir)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    z.putNextEntry(new ZipEntry(p.getFileName().toString()));
                    Files.copy(p, z);
                    z.closeEntry();
                }
            }
        }
        return zip;
    }

    static byte[] realModel() throws IOException {
        return Files.readAllBytes(TestAssets.model());
    }
}

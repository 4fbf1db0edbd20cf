package io.edgetune.inference;

import io.edgetune.api.model.ModelDescriptor;
import io.edgetune.modelpackage.Manifest;
import io.edgetune.modelpackage.PackageLayout;
import io.edgetune.modelpackage.PackageSigning;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Builds model packages from the real model for the tests. */
final class Packages {

    private Packages() {
    }

    /** A package directory: the given model bytes, a manifest naming them, signed when a key is given. */
    static Path directory(Path dir, String version, byte[] model, String sha256, PrivateKey signer) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve(PackageLayout.MODEL), model);
        ModelDescriptor d = new ModelDescriptor(version, sha256 != null ? sha256 : PackageLayout.sha256(dir.resolve(PackageLayout.MODEL)),
                TestAssets.labels(), 300, 300, "ssd-mobilenet-v2:300", "base-oidv4", Map.of("ap50", 0.5), System.currentTimeMillis(), false);
        byte[] manifest = Manifest.bytes(d);
        Files.write(dir.resolve(PackageLayout.MANIFEST), manifest);
        if (signer != null) {
            Files.writeString(dir.resolve(PackageLayout.SIGNATURE), PackageSigning.sign(manifest, signer));
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

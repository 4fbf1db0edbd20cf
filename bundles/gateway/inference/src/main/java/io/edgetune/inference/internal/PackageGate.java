package io.edgetune.inference.internal;

import io.edgetune.api.model.ModelException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * The cheap checks of a model package file, made before anything in it is
 * unpacked or parsed: its size, the sizes its zip directory declares, and,
 * when a trusted key is configured, the signature over the manifest's bytes
 * (read with a bound). An unsigned or oversized package is refused after
 * reading a few kilobytes, never after inflating it.
 */
final class PackageGate {

    static final int MAX_MANIFEST_BYTES = 1 << 20;
    static final int MAX_SIGNATURE_BYTES = 4096;

    private PackageGate() {
    }

    static void check(Path pkg, long maxPackageBytes, PackageVerifier verifier) throws ModelException {
        if (!Files.isRegularFile(pkg)) {
            return; // directories are local installs; the registry checks their files as before
        }
        String name = pkg.getFileName().toString();
        try {
            long size = Files.size(pkg);
            if (size > maxPackageBytes) {
                throw new ModelException("model package " + name + " is " + size + " bytes, over the limit of " + maxPackageBytes);
            }
            try (ZipFile zip = new ZipFile(pkg.toFile())) {
                ZipEntry manifest = null;
                ZipEntry signature = null;
                long declared = 0;
                for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements();) {
                    ZipEntry e = en.nextElement();
                    if (e.isDirectory()) {
                        continue;
                    }
                    declared += Math.max(0, e.getSize());
                    if (declared > maxPackageBytes) {
                        throw new ModelException("model package " + name + " would unpack to more than " + maxPackageBytes + " bytes");
                    }
                    String file = e.getName().substring(e.getName().lastIndexOf('/') + 1);
                    if (Manifests.MANIFEST.equals(file)) {
                        manifest = e;
                    } else if (Manifests.SIGNATURE.equals(file)) {
                        signature = e;
                    }
                }
                if (manifest == null) {
                    throw new ModelException("model package " + name + " has no " + Manifests.MANIFEST);
                }
                if (manifest.getSize() > MAX_MANIFEST_BYTES) {
                    throw new ModelException("model package " + name + ": " + Manifests.MANIFEST + " is larger than "
                            + MAX_MANIFEST_BYTES + " bytes");
                }
                if (!verifier.hasTrustedKey()) {
                    return;
                }
                if (signature == null) {
                    throw new ModelException("model package " + name + " is unsigned but a trusted key is configured");
                }
                byte[] manifestBytes = read(zip, manifest, MAX_MANIFEST_BYTES, name);
                String sig = new String(read(zip, signature, MAX_SIGNATURE_BYTES, name), StandardCharsets.US_ASCII);
                verifier.verify(manifestBytes, sig, name);
            }
        } catch (ZipException e) {
            throw new ModelException("model package " + name + " is not a valid zip: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ModelException("model package " + name + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** Reads an entry, refusing it once it inflates past {@code max} bytes whatever its header claims. */
    private static byte[] read(ZipFile zip, ZipEntry e, int max, String pkg) throws IOException, ModelException {
        try (InputStream in = zip.getInputStream(e)) {
            byte[] b = in.readNBytes(max + 1);
            if (b.length > max) {
                throw new ModelException("model package " + pkg + ": " + e.getName() + " inflates past " + max + " bytes");
            }
            return b;
        }
    }
}

package io.edgetune.modelpackage;

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
public final class PackageGate {

    public static final int MAX_SIGNATURE_BYTES = 4096;

    private PackageGate() {
    }

    /** Checks a package file; directories (local installs) pass, the registry checks their files. */
    public static void check(Path pkg, long maxPackageBytes, PackageVerifier verifier) throws ModelException {
        if (!Files.isRegularFile(pkg)) {
            return;
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
                    String file = ModelPackages.fileName(e);
                    if (PackageLayout.MANIFEST.equals(file)) {
                        manifest = e;
                    } else if (PackageLayout.SIGNATURE.equals(file)) {
                        signature = e;
                    }
                }
                if (manifest == null) {
                    throw new ModelException("model package " + name + " has no " + PackageLayout.MANIFEST);
                }
                if (manifest.getSize() > Manifest.MAX_BYTES) {
                    throw new ModelException("model package " + name + ": " + PackageLayout.MANIFEST + " is larger than "
                            + Manifest.MAX_BYTES + " bytes");
                }
                if (!verifier.hasTrustedKey()) {
                    return;
                }
                if (signature == null) {
                    throw new ModelException("model package " + name + " is unsigned but a trusted key is configured");
                }
                byte[] manifestBytes = read(zip, manifest, Manifest.MAX_BYTES, name);
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

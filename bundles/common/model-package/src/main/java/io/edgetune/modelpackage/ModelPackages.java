package io.edgetune.modelpackage;

import io.edgetune.api.model.ModelDescriptor;
import io.edgetune.api.model.ModelException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.Locale;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/** Builds model packages (the cloud side) and unpacks them (the gateway, after {@link PackageGate}). */
public final class ModelPackages {

    private static final long FIXED_ZIP_TIME = 315_705_600_000L; // 1980-01-02, the zip format has no earlier dates

    private ModelPackages() {
    }

    /**
     * A signed package of the model. The manifest is written from the
     * descriptor; its {@code sha256} is computed from the model (a descriptor
     * that names a different hash is refused).
     *
     * @param signer the Ed25519 private key; null builds an unsigned package (development gateways only)
     * @throws IllegalArgumentException for a version the gateway would refuse, no labels or a wrong hash
     */
    public static byte[] build(byte[] model, ModelDescriptor descriptor, PrivateKey signer) {
        return build(model, null, null, descriptor, signer);
    }

    /**
     * A signed package of the float model and, when given, its int8 build and
     * the Edge TPU compilation of that int8 build; the manifest names each
     * build's SHA-256, so the one signature covers all of them.
     *
     * @param int8    the full-integer build, or null
     * @param edgeTpu the int8 build compiled by edgetpu_compiler, or null
     */
    public static byte[] build(byte[] model, byte[] int8, byte[] edgeTpu, ModelDescriptor descriptor, PrivateKey signer) {
        if (model == null || model.length == 0) {
            throw new IllegalArgumentException("no model bytes");
        }
        String sha = PackageLayout.sha256Hex(model);
        if (descriptor.sha256() != null && !descriptor.sha256().isBlank() && !descriptor.sha256().equalsIgnoreCase(sha)) {
            throw new IllegalArgumentException("descriptor says sha256 " + descriptor.sha256() + " but the model's is " + sha);
        }
        if (edgeTpu != null && int8 == null) {
            throw new IllegalArgumentException("an Edge TPU build is compiled from the int8 build, which is missing");
        }
        Builds builds = new Builds(int8 == null ? null : PackageLayout.sha256Hex(int8),
                edgeTpu == null ? null : PackageLayout.sha256Hex(edgeTpu));
        byte[] manifest = manifest(descriptor.edgeTpu() == (edgeTpu != null) ? descriptor : withEdgeTpu(descriptor, edgeTpu != null),
                sha, builds);
        ByteArrayOutputStream out = new ByteArrayOutputStream(model.length + 4096);
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.setLevel(Deflater.BEST_SPEED); // float weights barely compress harder; the fast level keeps packaging cheap
            entry(zip, PackageLayout.MANIFEST, manifest);
            if (signer != null) {
                entry(zip, PackageLayout.SIGNATURE, PackageSigning.sign(manifest, signer).getBytes(StandardCharsets.US_ASCII));
            }
            entry(zip, PackageLayout.MODEL, model);
            if (int8 != null) {
                entry(zip, PackageLayout.INT8_MODEL, int8);
            }
            if (edgeTpu != null) {
                entry(zip, PackageLayout.EDGETPU_MODEL, edgeTpu);
            }
        } catch (IOException e) {
            throw new IllegalStateException("in-memory zip failed", e);
        }
        return out.toByteArray();
    }

    /**
     * The exact manifest.json bytes for the descriptor and the model's hex
     * SHA-256, refusing what the gateway would refuse.
     */
    public static byte[] manifest(ModelDescriptor d, String modelSha256) {
        return manifest(d, modelSha256, Builds.NONE);
    }

    /** As {@link #manifest(ModelDescriptor, String)}, naming the optional builds' hashes too. */
    public static byte[] manifest(ModelDescriptor d, String modelSha256, Builds builds) {
        if (d.version() == null || !PackageLayout.VERSION.matcher(d.version()).matches()) {
            throw new IllegalArgumentException("model version must be [A-Za-z0-9][A-Za-z0-9._-], up to 64 characters: " + d.version());
        }
        if (d.labels() == null || d.labels().isEmpty()) {
            throw new IllegalArgumentException("model " + d.version() + " has no labels");
        }
        return Manifest.bytes(new ModelDescriptor(d.version(), modelSha256.toLowerCase(Locale.ROOT), d.labels(), d.inputWidth(),
                d.inputHeight(), d.anchors(), d.baseVersion(), d.metrics(), d.createdMillis(), d.edgeTpu()), builds);
    }

    private static ModelDescriptor withEdgeTpu(ModelDescriptor d, boolean edgeTpu) {
        return new ModelDescriptor(d.version(), d.sha256(), d.labels(), d.inputWidth(), d.inputHeight(), d.anchors(),
                d.baseVersion(), d.metrics(), d.createdMillis(), edgeTpu);
    }

    /** The version named in a package's manifest, or null when the bytes hold no readable manifest. */
    public static String versionOf(byte[] modelPackage) {
        try (ZipInputStream zin = new ZipInputStream(new ByteArrayInputStream(modelPackage))) {
            ZipEntry e;
            while ((e = zin.getNextEntry()) != null) {
                if (PackageLayout.MANIFEST.equals(fileName(e))) {
                    byte[] manifest = zin.readNBytes(Manifest.MAX_BYTES + 1);
                    if (manifest.length > Manifest.MAX_BYTES) {
                        return null;
                    }
                    return Manifest.text(Manifest.parse(new String(manifest, StandardCharsets.UTF_8)), "version", null);
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
        return null;
    }

    /**
     * Unpacks a package file (or copies a package directory) into {@code stage}.
     * Packages are flat: an entry keeps only its file name, never a path (no
     * zip slip); hidden entries are skipped; at most {@code maxBytes} are written
     * whatever the zip headers claim.
     */
    public static void unpack(Path pkg, Path stage, long maxBytes) throws IOException, ModelException {
        Files.createDirectories(stage);
        if (Files.isDirectory(pkg)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(pkg, Files::isRegularFile)) {
                for (Path p : ds) {
                    Files.copy(p, stage.resolve(p.getFileName().toString()));
                }
            }
            return;
        }
        if (!Files.isRegularFile(pkg)) {
            throw new ModelException("model package " + pkg + " does not exist");
        }
        long total = 0;
        try (ZipInputStream zin = new ZipInputStream(Files.newInputStream(pkg))) {
            ZipEntry e;
            boolean any = false;
            while ((e = zin.getNextEntry()) != null) {
                if (e.isDirectory()) {
                    continue;
                }
                String name = fileName(e);
                if (name.isEmpty() || name.startsWith(".")) {
                    continue;
                }
                total += Files.copy(new LimitedStream(zin, maxBytes - total, maxBytes), stage.resolve(name));
                any = true;
            }
            if (!any) {
                throw new ModelException("model package " + pkg.getFileName() + " is not a zip with model files");
            }
        } catch (FileAlreadyExistsException e) {
            throw new ModelException("model package " + pkg.getFileName() + " holds two files named " + e.getFile());
        } catch (ZipException e) {
            throw new ModelException("model package " + pkg.getFileName() + " is not a valid zip: " + e.getMessage(), e);
        }
    }

    /** The file name of an entry, without any path. */
    static String fileName(ZipEntry e) {
        return e.getName().substring(e.getName().lastIndexOf('/') + 1);
    }

    private static void entry(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setTime(FIXED_ZIP_TIME); // same inputs, same package bytes
        zip.putNextEntry(e);
        zip.write(bytes);
        zip.closeEntry();
    }

    /** Fails the copy once more than the allowance is read. */
    private static final class LimitedStream extends InputStream {
        private final InputStream in;
        private final long limit;
        private long left;

        LimitedStream(InputStream in, long left, long limit) {
            this.in = in;
            this.left = left;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            byte[] b = new byte[1];
            return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                left -= n;
                if (left < 0) {
                    throw new IOException("model package larger than " + (limit >> 20) + " MiB");
                }
            }
            return n;
        }
    }
}

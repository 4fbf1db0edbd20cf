package io.edgetune.inference;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.edgetune.api.model.ModelException;
import io.edgetune.inference.internal.FileModelRegistry;
import io.edgetune.modelpackage.PackageLayout;
import io.edgetune.modelpackage.PackageVerifier;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Packages an attacker can send without the signing key: each is refused
 * with a reason by the cheap checks (declared sizes, bounded reads, the
 * signature over the manifest bytes) before anything is inflated to disk or
 * parsed, and the registry keeps serving what it had.
 */
public class HostilePackagesTest {

    private static final int BOMB_BYTES = 64 << 20;

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private final KeyPair trusted = keys();

    private static KeyPair keys() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private FileModelRegistry registry(boolean withKey) throws Exception {
        String key = withKey ? Base64.getEncoder().encodeToString(trusted.getPublic().getEncoded()) : null;
        return new FileModelRegistry(tmp.getRoot().toPath().resolve("models"), new PackageVerifier(key), null);
    }

    /** A zip of the given entries; a null value writes {@code BOMB_BYTES} spaces (deflates to a few hundred KB). */
    private Path zip(String name, Map<String, byte[]> entries) throws Exception {
        Path zip = tmp.getRoot().toPath().resolve(name);
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                if (e.getValue() == null) {
                    byte[] spaces = new byte[1 << 20];
                    java.util.Arrays.fill(spaces, (byte) ' ');
                    for (int i = 0; i < BOMB_BYTES / spaces.length; i++) {
                        z.write(spaces);
                    }
                } else {
                    z.write(e.getValue());
                }
                z.closeEntry();
            }
        }
        return zip;
    }

    private String sign(byte[] manifest) throws Exception {
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(trusted.getPrivate());
        s.update(manifest);
        return Base64.getEncoder().encodeToString(s.sign());
    }

    private static ModelException refused(FileModelRegistry r, Path pkg) {
        try {
            r.install(pkg);
        } catch (ModelException e) {
            return e;
        }
        throw new AssertionError(pkg + " was accepted");
    }

    private void assertNothingUnpacked() throws Exception {
        Path incoming = tmp.getRoot().toPath().resolve("models");
        try (var files = Files.walk(incoming)) {
            long bytes = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
            assertTrue("bytes left in the registry: " + bytes, bytes < 4096);
        }
    }

    @Test
    public void anUnsignedZipBombIsRefusedAsUnsignedBeforeItIsInflated() throws Exception {
        FileModelRegistry r = registry(true);
        Path bomb = zip("bomb.zip", java.util.Collections.singletonMap(PackageLayout.MANIFEST, null));
        assertTrue("the bomb is small on disk", Files.size(bomb) < BOMB_BYTES / 100);
        ModelException e = refused(r, bomb);
        // refused on what the zip directory says, not after inflating 64 MiB and failing to parse it
        assertTrue(e.getMessage(), e.getMessage().contains("larger than") || e.getMessage().contains("unsigned"));
        assertNothingUnpacked();
    }

    @Test
    public void aPackageWithoutSignatureIsRefusedBeforeItsManifestIsParsed() throws Exception {
        FileModelRegistry r = registry(true);
        ModelException e = refused(r, zip("unsigned.zip", Map.of(PackageLayout.MANIFEST, "{not json".getBytes(StandardCharsets.UTF_8),
                PackageLayout.MODEL, new byte[1024])));
        assertTrue("the signature is checked first: " + e.getMessage(), e.getMessage().contains("unsigned"));
        assertNothingUnpacked();
    }

    @Test
    public void aManifestThatInflatesPastItsLimitIsRefusedWithoutAKeyToo() throws Exception {
        FileModelRegistry r = registry(false);
        ModelException e = refused(r, zip("big-manifest.zip", java.util.Collections.singletonMap(PackageLayout.MANIFEST, null)));
        assertTrue(e.getMessage(), e.getMessage().contains("larger than"));
        assertNothingUnpacked();
    }

    @Test
    public void aDeeplyNestedSignedManifestIsABadPackageNotAStackOverflow() throws Exception {
        FileModelRegistry r = registry(true);
        byte[] manifest = ("{\"version\":" + "[".repeat(200_000) + "]".repeat(200_000) + "}").getBytes(StandardCharsets.UTF_8);
        Path pkg = zip("nested.zip", Map.of(PackageLayout.MANIFEST, manifest,
                PackageLayout.SIGNATURE, sign(manifest).getBytes(StandardCharsets.US_ASCII), PackageLayout.MODEL, new byte[1024]));
        ModelException e = refused(r, pkg);
        assertTrue(e.getMessage(), e.getMessage().contains("nested deeper than"));
    }

    @Test
    public void aSignatureOverOtherBytesIsRefusedBeforeUnpacking() throws Exception {
        FileModelRegistry r = registry(true);
        byte[] manifest = "{\"version\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        Path pkg = zip("mismatch.zip", Map.of(PackageLayout.MANIFEST, manifest,
                PackageLayout.SIGNATURE, sign("{\"version\":\"y\"}".getBytes(StandardCharsets.UTF_8)).getBytes(StandardCharsets.US_ASCII),
                PackageLayout.MODEL, new byte[4 << 20]));
        ModelException e = refused(r, pkg);
        assertTrue(e.getMessage(), e.getMessage().contains("does not match"));
        assertNothingUnpacked();
        assertEquals("no model was activated", java.util.Optional.empty(), r.activeVersion());
    }
}

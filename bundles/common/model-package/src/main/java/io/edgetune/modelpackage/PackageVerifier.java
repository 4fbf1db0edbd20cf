package io.edgetune.modelpackage;

import io.edgetune.api.model.ModelException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks model packages against the trusted key. The signature (manifest.sig)
 * covers the exact bytes of manifest.json; the manifest carries the SHA-256
 * of the model files, which the registry checks, so the signature covers the
 * whole package.
 *
 * <p>With a trusted key configured, unsigned and mis-signed packages are
 * refused. Without one, packages are accepted with a warning.
 */
public final class PackageVerifier {

    private static final Logger LOG = LoggerFactory.getLogger(PackageVerifier.class);

    private final PublicKey trusted;

    /** @param trustedKeyBase64 raw 32-byte key or X.509 SubjectPublicKeyInfo, base64; blank for none */
    public PackageVerifier(String trustedKeyBase64) {
        this.trusted = trustedKeyBase64 == null || trustedKeyBase64.isBlank() ? null : PackageSigning.publicKey(trustedKeyBase64);
    }

    public boolean hasTrustedKey() {
        return trusted != null;
    }

    /** Checks the package directory's signature; throws when a trusted key is configured and it does not verify. */
    public void verify(Path dir, String version) throws ModelException {
        Path sig = dir.resolve(PackageLayout.SIGNATURE);
        boolean signed = Files.isRegularFile(sig);
        if (trusted == null) {
            LOG.warn("model package {} accepted without signature check: no trusted key configured{}", version,
                    signed ? " (its signature was not verified)" : " and the package is unsigned");
            return;
        }
        if (!signed) {
            throw new ModelException("model package " + version + " is unsigned but a trusted key is configured");
        }
        try {
            verify(Files.readAllBytes(dir.resolve(PackageLayout.MANIFEST)), Files.readString(sig), version);
        } catch (IOException e) {
            throw new ModelException("model package " + version + ": signature unreadable: " + e.getMessage(), e);
        }
    }

    /**
     * Checks manifest bytes against a base64 signature with the trusted key
     * (which must be configured): the cheap first check of a package, before
     * anything in it is unpacked or parsed.
     */
    public void verify(byte[] manifest, String signatureBase64, String label) throws ModelException {
        if (trusted == null) {
            throw new IllegalStateException("no trusted key configured");
        }
        boolean good;
        try {
            good = PackageSigning.verifies(manifest, signatureBase64, trusted);
        } catch (IllegalArgumentException e) {
            throw new ModelException("model package " + label + ": signature unreadable: " + e.getMessage(), e);
        }
        if (!good) {
            throw new ModelException("model package " + label + " has a signature that does not match the trusted key");
        }
    }
}

package io.edgetune.inference.internal;

import io.edgetune.api.model.ModelException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ed25519 signatures of model packages. The signature (manifest.sig, base64)
 * covers the exact bytes of manifest.json; the manifest carries the SHA-256
 * of the model files, which are checked separately, so the signature covers
 * the whole package.
 *
 * <p>With a trusted key configured, unsigned and mis-signed packages are
 * refused. Without one, packages are accepted with a warning.
 */
public final class PackageVerifier {

    private static final Logger LOG = LoggerFactory.getLogger(PackageVerifier.class);
    /** DER prefix of an X.509 SubjectPublicKeyInfo for a raw 32-byte Ed25519 key. */
    private static final byte[] ED25519_SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    private final PublicKey trusted;

    /** @param trustedKeyBase64 raw 32-byte key or X.509 SubjectPublicKeyInfo, base64; blank for none */
    public PackageVerifier(String trustedKeyBase64) {
        this.trusted = trustedKeyBase64 == null || trustedKeyBase64.isBlank() ? null : parseKey(trustedKeyBase64.trim());
    }

    public boolean hasTrustedKey() {
        return trusted != null;
    }

    public static PublicKey parseKey(String base64) {
        try {
            byte[] raw = Base64.getDecoder().decode(base64);
            byte[] der = raw;
            if (raw.length == 32) {
                der = new byte[ED25519_SPKI_PREFIX.length + 32];
                System.arraycopy(ED25519_SPKI_PREFIX, 0, der, 0, ED25519_SPKI_PREFIX.length);
                System.arraycopy(raw, 0, der, ED25519_SPKI_PREFIX.length, 32);
            }
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalArgumentException("trusted public key is not a base64 Ed25519 key: " + e.getMessage(), e);
        }
    }

    /** Checks the package directory's signature; throws when a trusted key is configured and it does not verify. */
    public void verify(Path dir, String version) throws ModelException {
        Path sig = dir.resolve(Manifests.SIGNATURE);
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
            verify(Files.readAllBytes(dir.resolve(Manifests.MANIFEST)), Files.readString(sig), version);
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
        try {
            byte[] signature = Base64.getMimeDecoder().decode(signatureBase64.trim());
            Signature v = Signature.getInstance("Ed25519");
            v.initVerify(trusted);
            v.update(manifest);
            if (!v.verify(signature)) {
                throw new ModelException("model package " + label + " has a signature that does not match the trusted key");
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new ModelException("model package " + label + ": signature unreadable: " + e.getMessage(), e);
        }
    }
}

package io.edgetune.modelpackage;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Ed25519 signatures of manifests (manifest.sig holds the base64 signature
 * of the exact manifest bytes) and the keys: private keys as PKCS#8 (PEM or
 * base64), public keys as base64 X.509 SubjectPublicKeyInfo or raw 32 bytes,
 * the forms the gateway's {@code trusted.public.key} accepts.
 */
public final class PackageSigning {

    private static final String ED25519 = "Ed25519";
    /** DER prefix of an X.509 SubjectPublicKeyInfo for a raw 32-byte Ed25519 key. */
    private static final byte[] ED25519_SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    private PackageSigning() {
    }

    /** Base64 Ed25519 signature of the bytes, as manifest.sig holds it. */
    public static String sign(byte[] manifest, PrivateKey signer) {
        try {
            Signature s = Signature.getInstance(ED25519);
            s.initSign(signer);
            s.update(manifest);
            return Base64.getEncoder().encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot sign with this key (an Ed25519 private key is needed): " + e.getMessage(), e);
        }
    }

    /**
     * Whether the base64 signature is the key's signature of the bytes.
     *
     * @throws IllegalArgumentException when the signature is not base64 or not an Ed25519 signature at all
     */
    public static boolean verifies(byte[] manifest, String signatureBase64, PublicKey key) {
        try {
            byte[] signature = Base64.getMimeDecoder().decode(signatureBase64.trim());
            Signature v = Signature.getInstance(ED25519);
            v.initVerify(key);
            v.update(manifest);
            return v.verify(signature);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** A fresh Ed25519 key pair. */
    public static KeyPair generateKeyPair() {
        try {
            return KeyPairGenerator.getInstance(ED25519).generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads an Ed25519 private key from PKCS#8: either PEM text
     * ({@code -----BEGIN PRIVATE KEY-----}, as {@code openssl genpkey -algorithm ed25519} writes it)
     * or the bare base64 of the DER bytes.
     */
    public static PrivateKey privateKey(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("no private key text");
        }
        String body = text.trim();
        if (body.contains("-----BEGIN")) {
            if (!body.contains("-----BEGIN PRIVATE KEY-----")) {
                throw new IllegalArgumentException("PEM key must be PKCS#8 (-----BEGIN PRIVATE KEY-----)");
            }
            body = body.replaceAll("-----[A-Z ]+-----", "");
        }
        try {
            byte[] der = Base64.getMimeDecoder().decode(body);
            return KeyFactory.getInstance(ED25519).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 PKCS#8 private key: " + e.getMessage(), e);
        }
    }

    /** PEM text of the private key (PKCS#8), readable by {@link #privateKey(String)} and openssl. */
    public static String privateKeyPem(PrivateKey key) {
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    /** A public key from base64: a raw 32-byte Ed25519 key or an X.509 SubjectPublicKeyInfo. */
    public static PublicKey publicKey(String base64) {
        try {
            byte[] raw = Base64.getDecoder().decode(base64.trim());
            byte[] der = raw;
            if (raw.length == 32) {
                der = new byte[ED25519_SPKI_PREFIX.length + 32];
                System.arraycopy(ED25519_SPKI_PREFIX, 0, der, 0, ED25519_SPKI_PREFIX.length);
                System.arraycopy(raw, 0, der, ED25519_SPKI_PREFIX.length, 32);
            }
            return KeyFactory.getInstance(ED25519).generatePublic(new X509EncodedKeySpec(der));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalArgumentException("trusted public key is not a base64 Ed25519 key: " + e.getMessage(), e);
        }
    }

    /**
     * The public half of an Ed25519 private key. The JDK has no direct call
     * for it; its key pair generator derives the public key from 32 random
     * bytes, which for Ed25519 are the private key itself, so it is fed exactly those.
     */
    public static PublicKey publicKey(PrivateKey key) {
        if (!(key instanceof EdECPrivateKey ed)) {
            throw new IllegalArgumentException("not an Ed25519 private key: " + key.getAlgorithm());
        }
        byte[] seed = ed.getBytes().orElseThrow(() -> new IllegalArgumentException("the private key's bytes are not accessible"));
        SecureRandom fixed = new SecureRandom() {
            private static final long serialVersionUID = 1L;

            @Override
            public void nextBytes(byte[] bytes) {
                if (bytes.length != seed.length) {
                    throw new IllegalStateException("unexpected request for " + bytes.length + " random bytes");
                }
                System.arraycopy(seed, 0, bytes, 0, seed.length);
            }
        };
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(ED25519);
            g.initialize(255, fixed);
            return g.generateKeyPair().getPublic();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot derive the Ed25519 public key: " + e.getMessage(), e);
        }
    }

    /** The gateway's {@code trusted.public.key} value for this public key: base64 X.509 SubjectPublicKeyInfo. */
    public static String trustedKeyText(PublicKey key) {
        if (!key.getAlgorithm().equals(ED25519) && !key.getAlgorithm().equals("EdDSA")) {
            throw new IllegalArgumentException("not an Ed25519 public key: " + key.getAlgorithm());
        }
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    /** The gateway's {@code trusted.public.key} value for the key that signs with this private key. */
    public static String trustedKeyText(PrivateKey key) {
        return trustedKeyText(publicKey(key));
    }
}

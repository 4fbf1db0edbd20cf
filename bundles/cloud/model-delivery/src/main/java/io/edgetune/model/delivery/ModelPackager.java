package io.edgetune.model.delivery;

import io.edgetune.api.model.ModelDescriptor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Builds model packages as the gateway's model registry reads them (see
 * docs/inference.md "Model package"): a flat zip of {@code model.tflite},
 * {@code manifest.json} and {@code manifest.sig}, the base64 Ed25519
 * signature of the exact manifest bytes. The manifest carries the SHA-256 of
 * the model, so the signature covers the whole package.
 *
 * <p>Key helpers: the signing key is read from base64 PKCS#8 or PEM text; the
 * public key is exported as base64 X.509 SubjectPublicKeyInfo, the form the
 * gateway's {@code trusted.public.key} (inference component) accepts.
 */
public final class ModelPackager {

    public static final String MODEL = "model.tflite";
    public static final String MANIFEST = "manifest.json";
    public static final String SIGNATURE = "manifest.sig";
    /** Model versions the gateway accepts: a plain name. */
    public static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final long FIXED_ZIP_TIME = 315_705_600_000L; // 1980-01-02, the zip format has no earlier dates
    private static final Pattern MANIFEST_VERSION = Pattern.compile("\"version\"\\s*:\\s*\"([^\"\\\\]*)\"");

    private ModelPackager() {
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
        if (model == null || model.length == 0) {
            throw new IllegalArgumentException("no model bytes");
        }
        String sha = sha256Hex(model);
        if (descriptor.sha256() != null && !descriptor.sha256().isBlank() && !descriptor.sha256().equalsIgnoreCase(sha)) {
            throw new IllegalArgumentException("descriptor says sha256 " + descriptor.sha256() + " but the model's is " + sha);
        }
        byte[] manifest = manifest(descriptor, sha);
        ByteArrayOutputStream out = new ByteArrayOutputStream(model.length + 4096);
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.setLevel(Deflater.BEST_SPEED); // float weights barely compress harder; the fast level keeps packaging cheap
            entry(zip, MANIFEST, manifest);
            if (signer != null) {
                entry(zip, SIGNATURE, sign(manifest, signer).getBytes(StandardCharsets.US_ASCII));
            }
            entry(zip, MODEL, model);
        } catch (IOException e) {
            throw new IllegalStateException("in-memory zip failed", e);
        }
        return out.toByteArray();
    }

    /** The exact manifest.json bytes for the descriptor and the model's hex SHA-256. */
    public static byte[] manifest(ModelDescriptor d, String modelSha256) {
        if (d.version() == null || !VERSION.matcher(d.version()).matches()) {
            throw new IllegalArgumentException("model version must be [A-Za-z0-9][A-Za-z0-9._-], up to 64 characters: " + d.version());
        }
        if (d.labels() == null || d.labels().isEmpty()) {
            throw new IllegalArgumentException("model " + d.version() + " has no labels");
        }
        StringBuilder b = new StringBuilder(256);
        b.append('{');
        field(b, "version").append(str(d.version())).append(',');
        field(b, "sha256").append(str(modelSha256.toLowerCase(Locale.ROOT))).append(',');
        field(b, "labels").append('[');
        List<String> labels = d.labels();
        for (int i = 0; i < labels.size(); i++) {
            b.append(i == 0 ? "" : ",").append(str(labels.get(i)));
        }
        b.append("],");
        field(b, "inputWidth").append(d.inputWidth()).append(',');
        field(b, "inputHeight").append(d.inputHeight()).append(',');
        field(b, "anchors").append(d.anchors() == null ? "null" : str(d.anchors())).append(',');
        field(b, "baseVersion").append(d.baseVersion() == null ? "null" : str(d.baseVersion())).append(',');
        field(b, "metrics").append('{');
        boolean first = true;
        if (d.metrics() != null) {
            for (Map.Entry<String, Double> e : d.metrics().entrySet()) {
                Double v = e.getValue();
                if (v == null || v.isNaN() || v.isInfinite()) {
                    continue; // JSON has no NaN
                }
                b.append(first ? "" : ",").append(str(e.getKey())).append(':').append(v);
                first = false;
            }
        }
        b.append("},");
        field(b, "createdMillis").append(d.createdMillis()).append(',');
        field(b, "edgeTpu").append(d.edgeTpu());
        b.append('}');
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The version named in a package's manifest, or null when the bytes hold no readable manifest. */
    public static String versionOf(byte[] modelPackage) {
        try (ZipInputStream zin = new ZipInputStream(new ByteArrayInputStream(modelPackage))) {
            ZipEntry e;
            while ((e = zin.getNextEntry()) != null) {
                String name = e.getName().substring(e.getName().lastIndexOf('/') + 1);
                if (name.equals(MANIFEST)) {
                    Matcher m = MANIFEST_VERSION.matcher(new String(zin.readNBytes(1 << 20), StandardCharsets.UTF_8));
                    return m.find() ? m.group(1) : null;
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
        return null;
    }

    /** Base64 Ed25519 signature of the bytes, as manifest.sig holds it. */
    public static String sign(byte[] manifest, PrivateKey signer) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(signer);
            s.update(manifest);
            return Base64.getEncoder().encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot sign with this key (an Ed25519 private key is needed): " + e.getMessage(), e);
        }
    }

    public static String sha256Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ keys

    /** A fresh Ed25519 key pair. */
    public static KeyPair generateKeyPair() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
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
            return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 PKCS#8 private key: " + e.getMessage(), e);
        }
    }

    /** PEM text of the private key (PKCS#8), readable by {@link #privateKey(String)} and openssl. */
    public static String privateKeyPem(PrivateKey key) {
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
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
            KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
            g.initialize(255, fixed);
            return g.generateKeyPair().getPublic();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot derive the Ed25519 public key: " + e.getMessage(), e);
        }
    }

    /** The gateway's {@code trusted.public.key} value for this public key: base64 X.509 SubjectPublicKeyInfo. */
    public static String trustedKeyText(PublicKey key) {
        if (!key.getAlgorithm().equals("Ed25519") && !key.getAlgorithm().equals("EdDSA")) {
            throw new IllegalArgumentException("not an Ed25519 public key: " + key.getAlgorithm());
        }
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    /** The gateway's {@code trusted.public.key} value for the key that signs with this private key. */
    public static String trustedKeyText(PrivateKey key) {
        return trustedKeyText(publicKey(key));
    }

    // ------------------------------------------------------------------ zip and JSON

    private static void entry(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setTime(FIXED_ZIP_TIME); // same inputs, same package bytes
        zip.putNextEntry(e);
        zip.write(bytes);
        zip.closeEntry();
    }

    private static StringBuilder field(StringBuilder b, String name) {
        return b.append('"').append(name).append("\":");
    }

    private static String str(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}

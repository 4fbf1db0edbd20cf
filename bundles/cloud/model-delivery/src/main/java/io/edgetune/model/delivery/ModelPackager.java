package io.edgetune.model.delivery;

import io.edgetune.api.model.ModelDescriptor;
import io.edgetune.modelpackage.ModelPackages;
import io.edgetune.modelpackage.PackageLayout;
import io.edgetune.modelpackage.PackageSigning;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.regex.Pattern;

/**
 * The cloud side's entry to model packages: the format itself (a flat zip of
 * {@code model.tflite}, {@code manifest.json} and {@code manifest.sig}, see
 * docs/inference.md "Model package") lives in the model package bundle
 * ({@code io.edgetune.modelpackage}), which the gateway reads packages with;
 * this class keeps the delivery side's calls in one place.
 *
 * <p>Key helpers: the signing key is read from base64 PKCS#8 or PEM text; the
 * public key is exported as base64 X.509 SubjectPublicKeyInfo, the form the
 * gateway's {@code trusted.public.key} (inference component) accepts.
 */
public final class ModelPackager {

    public static final String MODEL = PackageLayout.MODEL;
    public static final String MANIFEST = PackageLayout.MANIFEST;
    public static final String SIGNATURE = PackageLayout.SIGNATURE;
    /** Model versions the gateway accepts: a plain name. */
    public static final Pattern VERSION = PackageLayout.VERSION;

    private ModelPackager() {
    }

    /** See {@link ModelPackages#build}: signer null builds an unsigned package (development gateways only). */
    public static byte[] build(byte[] model, ModelDescriptor descriptor, PrivateKey signer) {
        return ModelPackages.build(model, descriptor, signer);
    }

    /** The exact manifest.json bytes for the descriptor and the model's hex SHA-256. */
    public static byte[] manifest(ModelDescriptor d, String modelSha256) {
        return ModelPackages.manifest(d, modelSha256);
    }

    /** The version named in a package's manifest, or null when the bytes hold no readable manifest. */
    public static String versionOf(byte[] modelPackage) {
        return ModelPackages.versionOf(modelPackage);
    }

    /** Base64 Ed25519 signature of the bytes, as manifest.sig holds it. */
    public static String sign(byte[] manifest, PrivateKey signer) {
        return PackageSigning.sign(manifest, signer);
    }

    public static String sha256Hex(byte[] data) {
        return PackageLayout.sha256Hex(data);
    }

    public static KeyPair generateKeyPair() {
        return PackageSigning.generateKeyPair();
    }

    public static PrivateKey privateKey(String text) {
        return PackageSigning.privateKey(text);
    }

    public static String privateKeyPem(PrivateKey key) {
        return PackageSigning.privateKeyPem(key);
    }

    public static PublicKey publicKey(PrivateKey key) {
        return PackageSigning.publicKey(key);
    }

    public static String trustedKeyText(PublicKey key) {
        return PackageSigning.trustedKeyText(key);
    }

    public static String trustedKeyText(PrivateKey key) {
        return PackageSigning.trustedKeyText(key);
    }
}

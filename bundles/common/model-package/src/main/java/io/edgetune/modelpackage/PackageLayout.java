package io.edgetune.modelpackage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** File names of a model package and a version directory, the version rule, and the SHA-256 the manifest carries. */
public final class PackageLayout {

    public static final String MODEL = "model.tflite";
    public static final String MANIFEST = "manifest.json";
    public static final String SIGNATURE = "manifest.sig";
    /** Optional: the full-integer (int8) build of the model; its hash is the manifest's {@value #INT8_SHA256}. */
    public static final String INT8_MODEL = "model_int8.tflite";
    /** Optional: the int8 build compiled for the Coral Edge TPU; its hash is the manifest's {@value #EDGETPU_SHA256}. */
    public static final String EDGETPU_MODEL = "model_edgetpu.tflite";
    /** Manifest keys naming the optional builds by hash, so the signature covers them too. */
    public static final String INT8_SHA256 = "int8Sha256";
    public static final String EDGETPU_SHA256 = "edgeTpuSha256";
    /** Optional: labels, one a line, for a manifest without {@code labels}. */
    public static final String LABELS = "labels.txt";
    public static final String DEFAULT_ANCHORS = "ssd-mobilenet-v2:300";
    /** Model versions: a plain name, usable as a directory name. */
    public static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** The largest package the gateway unpacks. */
    public static final long MAX_PACKAGE_BYTES = 512L << 20;

    private PackageLayout() {
    }

    public static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Lower-case hex SHA-256 of the bytes. */
    public static String sha256Hex(byte[] data) {
        return HexFormat.of().formatHex(sha256Digest().digest(data));
    }

    /** Lower-case hex SHA-256 of the file, read in blocks. */
    public static String sha256(Path file) throws IOException {
        MessageDigest md = sha256Digest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}

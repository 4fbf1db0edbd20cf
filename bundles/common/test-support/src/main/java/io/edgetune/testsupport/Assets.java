package io.edgetune.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The real assets the build caches in ${edgetune.assets} (default
 * ~/.cache/edgetune): the SSD MobileNetV2 (OIDv4) model, its label map and the
 * sample video vtest.avi.
 */
public final class Assets {

    public static final String MODEL = "ssd_mobilenetv2_oidv4_fp16.tflite";
    public static final String LABEL_MAP = "oidv4_labelmap.txt";
    public static final String VIDEO = "vtest.avi";

    private Assets() {
    }

    public static Path dir() {
        return Path.of(System.getProperty("edgetune.assets", System.getProperty("user.home") + "/.cache/edgetune"));
    }

    /** An asset that must be there: a missing one fails the test with its path. */
    public static Path file(String name) {
        Path p = dir().resolve(name);
        if (!Files.isRegularFile(p)) {
            throw new AssertionError("missing asset " + p + " (the build fetches it: run through mvn)");
        }
        return p;
    }

    public static Path model() {
        return file(MODEL);
    }

    public static Path labelFile() {
        return file(LABEL_MAP);
    }

    public static Path video() {
        return file(VIDEO);
    }

    /** The model's labels, one a line, blank lines left out. */
    public static List<String> labels() throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(labelFile(), StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                out.add(line.trim());
            }
        }
        return out;
    }

    /** Lower-case hex SHA-256 of a file. */
    public static String sha256(Path file) throws IOException {
        MessageDigest md = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** Lower-case hex SHA-256 of bytes. */
    public static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}

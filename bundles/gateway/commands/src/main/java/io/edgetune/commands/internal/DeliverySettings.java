package io.edgetune.commands.internal;

import java.nio.file.Path;

/**
 * Limits of model delivery (chunked uploads and URL downloads).
 *
 * @param uploadDir        where partial uploads are kept; null means {@code <work directory>/partial}
 * @param chunkMaxBytes    largest accepted chunk
 * @param packageMaxBytes  largest accepted package (upload or download)
 * @param maxUploads       partial uploads kept at once
 * @param maxTotalBytes    sum of the declared sizes of all partial uploads
 * @param expiryMillis     a partial upload untouched this long is deleted
 * @param downloadTimeoutMillis the whole URL download, connect to last byte
 */
public record DeliverySettings(Path uploadDir, int chunkMaxBytes, long packageMaxBytes, int maxUploads, long maxTotalBytes,
                               long expiryMillis, long downloadTimeoutMillis) {

    public static final int DEFAULT_CHUNK_MAX_BYTES = 256 * 1024;

    public DeliverySettings {
        if (chunkMaxBytes < 1024 || packageMaxBytes < 1 || maxUploads < 1 || maxTotalBytes < 1 || expiryMillis < 1000
                || downloadTimeoutMillis < 100) {
            throw new IllegalArgumentException("model delivery limits out of range: " + chunkMaxBytes + ", " + packageMaxBytes + ", "
                    + maxUploads + ", " + maxTotalBytes + ", " + expiryMillis + ", " + downloadTimeoutMillis);
        }
    }

    public static DeliverySettings defaults() {
        return new DeliverySettings(null, DEFAULT_CHUNK_MAX_BYTES, 128L << 20, 4, 256L << 20, 24L * 3600 * 1000, 120_000);
    }

    public DeliverySettings withUploadDir(Path dir) {
        return new DeliverySettings(dir, chunkMaxBytes, packageMaxBytes, maxUploads, maxTotalBytes, expiryMillis, downloadTimeoutMillis);
    }
}

package io.edgetune.commands.internal;

import io.edgetune.modelpackage.PackageLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Fetches a model package over http(s) into a file, bounded in size and in
 * time (connect to last byte), checking its SHA-256 on the way. Refusals the
 * sender can act on (HTTP status, size, hash) are 400; network failures and
 * timeouts are 500.
 */
final class ModelDownloader {

    private final long timeoutMillis;
    private final long maxBytes;

    ModelDownloader(long timeoutMillis, long maxBytes) {
        this.timeoutMillis = timeoutMillis;
        this.maxBytes = maxBytes;
    }

    /** Downloads {@code url} into {@code target}; returns the byte count. */
    long download(String url, String sha256, Path target) throws CommandException, InterruptedException {
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(Duration.ofMillis(Math.min(timeoutMillis, 10_000)))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMillis(timeoutMillis)).GET().build();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        CompletableFuture<HttpResponse<InputStream>> pending = client.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
        HttpResponse<InputStream> response;
        try {
            response = pending.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw failed(url, "no response within " + timeoutMillis + " ms", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof HttpTimeoutException) {
                throw failed(url, "no response within " + timeoutMillis + " ms", cause);
            }
            throw failed(url, cause.toString(), cause);
        } catch (InterruptedException e) {
            pending.cancel(true);
            throw e;
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw CommandException.badRequest("download of " + url + " refused: HTTP " + response.statusCode());
            }
            OptionalLong length = response.headers().firstValueAsLong("Content-Length");
            if (length.isPresent() && length.getAsLong() > maxBytes) {
                throw CommandException.badRequest("download of " + url + " refused: " + length.getAsLong()
                        + " bytes is larger than the limit of " + maxBytes);
            }
            // a stalled server must not hold the request worker past the deadline: closing the stream ends the read
            AtomicBoolean timedOut = new AtomicBoolean();
            long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
            CompletableFuture<Void> watchdog = CompletableFuture.runAsync(() -> {
                timedOut.set(true);
                try {
                    body.close();
                } catch (IOException ignored) {
                    // the reader sees the failure
                }
            }, CompletableFuture.delayedExecutor(left, TimeUnit.MILLISECONDS));
            MessageDigest md = PackageLayout.sha256Digest();
            long total = 0;
            try (OutputStream out = Files.newOutputStream(target)) {
                byte[] buf = new byte[1 << 16];
                int n;
                while ((n = body.read(buf)) > 0) {
                    total += n;
                    if (total > maxBytes) {
                        throw CommandException.badRequest("download of " + url + " refused: larger than the limit of " + maxBytes + " bytes");
                    }
                    md.update(buf, 0, n);
                    out.write(buf, 0, n);
                }
            } catch (IOException e) {
                if (timedOut.get()) {
                    throw failed(url, "not complete within " + timeoutMillis + " ms", e);
                }
                throw failed(url, e.toString(), e);
            } finally {
                watchdog.cancel(false);
            }
            if (timedOut.get()) {
                throw failed(url, "not complete within " + timeoutMillis + " ms", null);
            }
            String actual = HexFormat.of().formatHex(md.digest());
            if (!actual.equals(sha256)) {
                throw CommandException.badRequest("download of " + url + " has SHA-256 " + actual + " but sha256 says " + sha256);
            }
            return total;
        } catch (IOException e) {
            throw failed(url, e.toString(), e);
        }
    }

    private static CommandException failed(String url, String why, Throwable cause) {
        return new CommandException(CommandException.FAILED, "download of " + url + " failed: " + why, cause);
    }
}

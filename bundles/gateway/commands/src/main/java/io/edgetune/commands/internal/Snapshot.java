package io.edgetune.commands.internal;

/** A copied frame: tightly packed BGR pixels. */
public record Snapshot(String cameraId, long sequence, long timestampMillis, int width, int height, byte[] bgr) {
}

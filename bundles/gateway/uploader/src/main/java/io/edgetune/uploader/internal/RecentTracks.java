package io.edgetune.uploader.internal;

import io.edgetune.api.track.TrackedFrame;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tracker's last few frames per camera, so that the sample encoder (its
 * own thread, a little behind the detector) can put track ids on a sample's
 * detections. A sample whose tracked frame is not here (no tracker, the
 * tracker's frame not yet arrived or already pushed out) goes without ids.
 */
final class RecentTracks {

    /** Frames kept per camera: the encoder queue drains within a few frames. */
    static final int DEPTH = 8;

    private final Map<String, TrackedFrame[]> rings = new ConcurrentHashMap<>();

    /** Detector's thread. */
    void put(TrackedFrame tf) {
        TrackedFrame[] ring = rings.computeIfAbsent(tf.cameraId(), k -> new TrackedFrame[DEPTH]);
        synchronized (ring) {
            ring[(int) Math.floorMod(tf.frameSequence(), (long) DEPTH)] = tf;
        }
    }

    /** The tracked frame of that camera's frame, or null. */
    TrackedFrame find(String cameraId, long sequence) {
        TrackedFrame[] ring = rings.get(cameraId);
        if (ring == null) {
            return null;
        }
        synchronized (ring) {
            TrackedFrame tf = ring[(int) Math.floorMod(sequence, (long) DEPTH)];
            return tf != null && tf.frameSequence() == sequence ? tf : null;
        }
    }
}

package io.edgetune.uploader.internal;

import io.edgetune.api.detect.Detections;
import io.edgetune.api.track.TrackedFrame;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * Pairs a frame's detections with the tracker's view of the same frame, so
 * that the detection message carries track ids. Both arrive on the detector's
 * thread, one right after the other, in either order (the detector calls its
 * listeners in no fixed order and the tracker is one of them). Whichever
 * comes second releases the pair; detections whose tracked frame never comes
 * (the tracker stopped or failed) go out without ids when the camera's next
 * detections arrive, so nothing waits longer than one frame.
 */
final class TrackPairing {

    private static final class Slot {
        Detections detections;
        TrackedFrame tracked;
    }

    private final Map<String, Slot> slots = new ConcurrentHashMap<>();

    void detections(Detections d, BiConsumer<Detections, TrackedFrame> out) {
        Slot s = slots.computeIfAbsent(d.cameraId(), k -> new Slot());
        Detections release = null;
        TrackedFrame with = null;
        Detections orphan = null;
        synchronized (s) {
            if (s.tracked != null && s.tracked.frameSequence() == d.frameSequence()) {
                release = d;
                with = s.tracked;
                s.tracked = null;
            } else {
                orphan = s.detections;
                s.detections = d;
            }
        }
        if (orphan != null) {
            out.accept(orphan, null);
        }
        if (release != null) {
            out.accept(release, with);
        }
    }

    void tracked(TrackedFrame tf, BiConsumer<Detections, TrackedFrame> out) {
        Slot s = slots.computeIfAbsent(tf.cameraId(), k -> new Slot());
        Detections release = null;
        synchronized (s) {
            if (s.detections != null && s.detections.frameSequence() == tf.frameSequence()) {
                release = s.detections;
                s.detections = null;
            } else {
                s.tracked = tf;
            }
        }
        if (release != null) {
            out.accept(release, tf);
        }
    }
}

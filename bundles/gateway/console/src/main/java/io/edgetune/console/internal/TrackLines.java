package io.edgetune.console.internal;

import io.edgetune.api.track.Track;
import io.edgetune.api.track.TrackEvent;
import io.edgetune.api.track.TrackedFrame;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The tracker's state as text: the status line and edgetune:tracks. Stateless. */
final class TrackLines {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT)
            .withZone(ZoneId.systemDefault());

    private TrackLines() {
    }

    /** e.g. "plaza objects: 5 live (3 moving, 1 stationary, 1 lost); in zones: entrance Person=2, crossing none; last event 14:02:07 enter #12 Person entrance" */
    static String status(TrackedFrame tf, TrackEvent last) {
        int moving = 0, stationary = 0, lost = 0;
        for (Track t : tf.tracks()) {
            switch (t.state()) {
                case ACTIVE -> moving++;
                case STATIONARY -> stationary++;
                case LOST -> lost++;
                default -> { }
            }
        }
        StringBuilder b = new StringBuilder();
        b.append(tf.cameraId()).append(" objects: ").append(moving + stationary + lost).append(" live (").append(moving)
                .append(" moving, ").append(stationary).append(" stationary, ").append(lost).append(" lost)");
        if (!tf.zoneCounts().isEmpty()) {
            b.append("; in zones: ");
            boolean first = true;
            for (Map.Entry<String, Map<String, Integer>> z : tf.zoneCounts().entrySet()) {
                b.append(first ? "" : ", ").append(z.getKey()).append(' ').append(counts(z.getValue()));
                first = false;
            }
        }
        if (last != null) {
            b.append("; last event ").append(event(last));
        }
        return b.toString();
    }

    /** edgetune:tracks CAMERA */
    static String tracks(TrackedFrame tf, List<TrackEvent> recent) {
        String nl = System.lineSeparator();
        StringBuilder b = new StringBuilder(status(tf, null));
        b.append(nl).append(String.format(Locale.ROOT, "frame #%d at %s", tf.frameSequence(),
                CLOCK.format(Instant.ofEpochMilli(tf.frameTimestampMillis()))));
        for (Track t : tf.tracks()) {
            b.append(nl).append(String.format(Locale.ROOT, "  #%-5d %-12s %.2f %-10s [%.0f,%.0f %.0fx%.0f] for %.1f s%s",
                    t.trackId(), t.label(), t.score(), t.state(), t.x(), t.y(), t.width(), t.height(),
                    (tf.frameTimestampMillis() - t.firstSeenMillis()) / 1000.0,
                    t.zones().isEmpty() ? "" : " in " + String.join(", ", t.zones())));
        }
        if (!recent.isEmpty()) {
            b.append(nl).append("recent events (newest first):");
            for (TrackEvent e : recent) {
                b.append(nl).append("  ").append(event(e));
            }
        }
        return b.toString();
    }

    static String event(TrackEvent e) {
        StringBuilder b = new StringBuilder();
        b.append(CLOCK.format(Instant.ofEpochMilli(e.timeMillis()))).append(' ')
                .append(e.type().name().toLowerCase(Locale.ROOT)).append(" #").append(e.trackId()).append(' ').append(e.label());
        if (e.zone() != null) {
            b.append(' ').append(e.zone());
        }
        if (e.type() == TrackEvent.Type.LEAVE || e.type() == TrackEvent.Type.END) {
            b.append(String.format(Locale.ROOT, " after %.1f s", e.durationMillis() / 1000.0));
        }
        if (e.snapshotJpeg() != null) {
            b.append(" (picture ").append(e.snapshotJpeg().length / 1024).append(" kB)");
        }
        return b.toString();
    }

    private static String counts(Map<String, Integer> byLabel) {
        if (byLabel.isEmpty()) {
            return "none";
        }
        StringBuilder b = new StringBuilder();
        byLabel.forEach((label, n) -> b.append(b.length() == 0 ? "" : " ").append(label).append('=').append(n));
        return b.toString();
    }
}

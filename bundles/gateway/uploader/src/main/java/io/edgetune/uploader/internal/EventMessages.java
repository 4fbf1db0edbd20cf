package io.edgetune.uploader.internal;

import io.edgetune.api.detect.Detection;
import io.edgetune.api.detect.Detections;
import io.edgetune.api.track.Track;
import io.edgetune.api.track.TrackEvent;
import io.edgetune.api.track.TrackedFrame;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import org.eclipse.kura.message.KuraPayload;

/** The event message of a tracked object (docs/mqtt.md, "Events"), and track ids for detection messages. */
public final class EventMessages {

    private EventMessages() {
    }

    public static KuraPayload payload(TrackEvent e) {
        KuraPayload p = new KuraPayload();
        p.setTimestamp(new Date(e.timeMillis()));
        p.addMetric("camera.id", e.cameraId());
        p.addMetric("type", e.type().name().toLowerCase(Locale.ROOT));
        p.addMetric("track.id", e.trackId());
        p.addMetric("class.id", e.classId());
        p.addMetric("label", String.valueOf(e.label()));
        p.addMetric("score", (double) e.score());
        if (e.zone() != null) {
            p.addMetric("zone", e.zone());
        }
        p.addMetric("duration.ms", e.durationMillis());
        if (e.snapshotJpeg() != null) {
            p.addMetric("content.type", "image/jpeg");
            p.setBody(e.snapshotJpeg());
        }
        return p;
    }

    /**
     * The confirmed track each detection belongs to (0 when none): the track
     * matched in this frame whose box is the detection's box. Null when the
     * tracked frame is another frame's.
     */
    public static long[] trackIds(Detections d, TrackedFrame tf) {
        if (tf == null || tf.frameSequence() != d.frameSequence() || !tf.cameraId().equals(d.cameraId())) {
            return null;
        }
        List<Detection> dets = d.detections();
        long[] ids = new long[dets.size()];
        for (int i = 0; i < ids.length; i++) {
            Detection x = dets.get(i);
            for (Track t : tf.tracks()) {
                if (t.state() != Track.State.TENTATIVE && t.lastSeenMillis() == tf.frameTimestampMillis()
                        && t.classId() == x.classId() && t.x() == x.x() && t.y() == x.y() && t.width() == x.width()
                        && t.height() == x.height()) {
                    ids[i] = t.trackId();
                    break;
                }
            }
        }
        return ids;
    }
}

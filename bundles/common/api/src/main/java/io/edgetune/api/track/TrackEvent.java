package io.edgetune.api.track;

/**
 * Something that happened to a tracked object.
 *
 * @param zone           the zone for ENTER and LEAVE, else null
 * @param durationMillis time since the track started (for LEAVE: time spent in the zone)
 * @param snapshotJpeg   the best picture of the object (JPEG crop, size-capped) on END, else null
 */
public record TrackEvent(Type type, String cameraId, long trackId, int classId, String label, float score,
                         String zone, long timeMillis, long durationMillis, byte[] snapshotJpeg) {

    public enum Type {
        START, ENTER, LEAVE, STATIONARY, END
    }
}

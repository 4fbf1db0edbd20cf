package io.edgetune.tracker.engine;

import io.edgetune.api.config.ConfigValues;

/**
 * How the tracker associates, confirms, keeps and ends tracks.
 *
 * @param highScore             detections at or above this score are matched first and may start tracks
 * @param lowScore              detections from this score up to {@code highScore} only extend live tracks
 *                              (second association stage, ByteTrack's idea); at or above highScore disables it
 * @param matchIou              least IoU between a track's predicted box and a detection for a match
 * @param confirmHits           matched frames before a track is confirmed (START event)
 * @param lostAfterMisses       frames in a row in which the detector looked at the track and did not find it
 *                              before the track is LOST
 * @param endAfterMillis        a LOST track ends this long after it was last seen
 * @param stationaryAfterMillis a confirmed track whose box stays within {@code stationaryMove} box heights
 *                              this long becomes STATIONARY
 * @param stationaryMove        movement, in box heights, that counts as moving
 * @param stationaryEndAfterMillis a track that was STATIONARY when lost ends this long after it was last seen
 * @param coverage              share of a track's box that motion regions must cover for a missing detection
 *                              to count as a miss
 * @param zoneFrames            frames in a row a track must be on the other side of a zone's edge before
 *                              ENTER or LEAVE (against jitter on the edge)
 * @param snapshotMaxSide       longest side of a track's best crop, pixels
 * @param snapshotMaxBytes      largest JPEG kept as a track's best crop
 * @param snapshotQuality       JPEG quality of the crop, percent
 * @param labels                labels that are tracked; empty tracks every label
 */
public record TrackerSettings(float highScore, float lowScore, float matchIou, int confirmHits, int lostAfterMisses,
                              long endAfterMillis, long stationaryAfterMillis, float stationaryMove,
                              long stationaryEndAfterMillis, float coverage,
                              int zoneFrames, int snapshotMaxSide, int snapshotMaxBytes, int snapshotQuality,
                              java.util.Set<String> labels) {

    public TrackerSettings {
        ConfigValues.range("high.score", highScore, 0, 1);
        ConfigValues.range("low.score", lowScore, 0, 1);
        ConfigValues.range("match.iou", matchIou, 0.01, 1);
        ConfigValues.range("confirm.hits", confirmHits, 1, 100);
        ConfigValues.range("lost.after.misses", lostAfterMisses, 1, 1000);
        ConfigValues.atLeast("end.after.s", endAfterMillis, 0);
        ConfigValues.atLeast("stationary.after.s", stationaryAfterMillis, 0);
        ConfigValues.range("stationary.move", stationaryMove, 0, 10);
        ConfigValues.atLeast("stationary.end.after.s", stationaryEndAfterMillis, 0);
        ConfigValues.range("coverage", coverage, 0, 1);
        ConfigValues.range("zone.frames", zoneFrames, 1, 100);
        ConfigValues.range("snapshot.max.side", snapshotMaxSide, 16, 4096);
        ConfigValues.range("snapshot.max.bytes", snapshotMaxBytes, 1024, 1 << 22);
        ConfigValues.range("snapshot.quality", snapshotQuality, 10, 100);
        labels = java.util.Set.copyOf(labels);
    }

    /** The defaults of the tracker component's configuration. */
    public static TrackerSettings defaults() {
        return new TrackerSettings(0.5f, 0.3f, 0.2f, 3, 2, 3_000, 10_000, 0.15f, 60_000, 0.5f, 2,
                160, 16_384, 80, java.util.Set.of());
    }

    public TrackerSettings withConfirmHits(int hits) {
        return new TrackerSettings(highScore, lowScore, matchIou, hits, lostAfterMisses, endAfterMillis,
                stationaryAfterMillis, stationaryMove, stationaryEndAfterMillis, coverage,
                zoneFrames, snapshotMaxSide, snapshotMaxBytes, snapshotQuality, labels);
    }

    public TrackerSettings withLabels(java.util.Set<String> tracked) {
        return new TrackerSettings(highScore, lowScore, matchIou, confirmHits, lostAfterMisses, endAfterMillis,
                stationaryAfterMillis, stationaryMove, stationaryEndAfterMillis, coverage,
                zoneFrames, snapshotMaxSide, snapshotMaxBytes, snapshotQuality, tracked);
    }

    public TrackerSettings withLostAfter(int misses, long endAfter) {
        return new TrackerSettings(highScore, lowScore, matchIou, confirmHits, misses, endAfter,
                stationaryAfterMillis, stationaryMove, stationaryEndAfterMillis, coverage,
                zoneFrames, snapshotMaxSide, snapshotMaxBytes, snapshotQuality, labels);
    }

    /** Whether detections of this label are tracked. */
    public boolean tracks(String label) {
        return labels.isEmpty() || labels.contains(label);
    }

    public TrackerSettings withStationaryAfterMillis(long millis) {
        return new TrackerSettings(highScore, lowScore, matchIou, confirmHits, lostAfterMisses, endAfterMillis,
                millis, stationaryMove, stationaryEndAfterMillis, coverage,
                zoneFrames, snapshotMaxSide, snapshotMaxBytes, snapshotQuality, labels);
    }
}

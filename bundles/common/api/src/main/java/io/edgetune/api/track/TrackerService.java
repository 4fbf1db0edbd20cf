package io.edgetune.api.track;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/** The tracker's current view, for the console, the live view and commands. */
@ProviderType
public interface TrackerService {

    /** The latest tracked frame of the camera, or null before its first frame. */
    TrackedFrame current(String cameraId);

    /** The zones configured for the camera (empty when none). */
    List<Zone> zones(String cameraId);

    /** The most recent events of the camera, newest first, at most {@code max}. */
    List<TrackEvent> recentEvents(String cameraId, int max);
}

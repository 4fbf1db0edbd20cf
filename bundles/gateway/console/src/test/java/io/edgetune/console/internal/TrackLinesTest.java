package io.edgetune.console.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.edgetune.api.track.Track;
import io.edgetune.api.track.TrackEvent;
import io.edgetune.api.track.TrackedFrame;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.Test;

public class TrackLinesTest {

    private static final long T = 1_763_780_000_000L;

    private static String clock(long millis) {
        return DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault()).format(Instant.ofEpochMilli(millis));
    }

    private static TrackedFrame frame() {
        Map<String, Map<String, Integer>> zones = new LinkedHashMap<>();
        zones.put("entrance", new TreeMap<>(Map.of("Person", 2, "Car", 1)));
        zones.put("crossing", new TreeMap<>());
        return new TrackedFrame("plaza", 42, T, List.of(
                new Track("plaza", 12, 1, "Person", 0.87f, 100, 50, 40, 120, Track.State.ACTIVE, T - 14_200, T, List.of("entrance")),
                new Track("plaza", 13, 1, "Person", 0.7f, 300, 50, 40, 120, Track.State.STATIONARY, T - 60_000, T, List.of("entrance")),
                new Track("plaza", 14, 3, "Car", 0.9f, 500, 300, 80, 60, Track.State.LOST, T - 5_000, T - 500, List.of("entrance")),
                new Track("plaza", 15, 1, "Person", 0.6f, 600, 50, 40, 120, Track.State.TENTATIVE, T, T, List.of())), zones);
    }

    @Test
    public void theStatusLineCountsLiveObjectsAndWhoIsInEachZone() {
        TrackEvent last = new TrackEvent(TrackEvent.Type.LEAVE, "plaza", 9, 1, "Person", 0.8f, "crossing", T - 1_000, 3_400, null);
        assertEquals("plaza objects: 3 live (1 moving, 1 stationary, 1 lost); in zones: entrance Car=1 Person=2, crossing none; "
                + "last event " + clock(T - 1_000) + " leave #9 Person crossing after 3.4 s", TrackLines.status(frame(), last));
    }

    @Test
    public void theTracksCommandListsEachObjectAndTheRecentEvents() {
        TrackEvent end = new TrackEvent(TrackEvent.Type.END, "plaza", 8, 1, "Person", 0.8f, null, T - 2_000, 20_000, new byte[3_000]);
        String out = TrackLines.tracks(frame(), List.of(end));
        String[] lines = out.split(System.lineSeparator());
        assertEquals(8, lines.length);
        assertEquals("frame #42 at " + clock(T), lines[1]);
        assertEquals("  #12    Person       0.87 ACTIVE     [100,50 40x120] for 14.2 s in entrance", lines[2]);
        assertTrue(lines[5], lines[5].startsWith("  #15    Person       0.60 TENTATIVE"));
        assertEquals("recent events (newest first):", lines[6]);
        assertEquals("  " + clock(T - 2_000) + " end #8 Person after 20.0 s (picture 2 kB)", lines[7]);
    }
}

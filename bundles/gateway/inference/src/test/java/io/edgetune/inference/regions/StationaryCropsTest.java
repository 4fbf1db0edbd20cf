package io.edgetune.inference.regions;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;

import io.edgetune.api.motion.Region;
import io.edgetune.api.track.Track;
import java.util.List;
import org.junit.Test;

public class StationaryCropsTest {

    private static Track track(Track.State s, float x, float y, float w, float h) {
        return new Track("c", 1, 0, "Person", 0.9f, x, y, w, h, s, 0, 0, List.of());
    }

    private final Track standing = track(Track.State.STATIONARY, 100, 100, 40, 100);
    private final Region fidget = new Region(95, 95, 50, 110); // within the box grown by a fifth (92..148, 80..220)

    @Test
    public void aCropWithinAStationaryBoxIsDroppedAndOneReachingOutIsKept() {
        assertEquals(List.of(), StationaryCrops.keep(List.of(fidget), List.of(standing)));
        Region wider = new Region(95, 95, 80, 110);
        assertEquals(List.of(wider), StationaryCrops.keep(List.of(fidget, wider), List.of(standing)));
    }

    @Test
    public void theUnionOfTwoStationaryBoxesCoversACropSpanningBoth() {
        Track neighbour = track(Track.State.STATIONARY, 140, 100, 40, 100);
        Region both = new Region(100, 110, 75, 80);
        assertEquals(List.of(), StationaryCrops.keep(List.of(both), List.of(standing, neighbour)));
        assertEquals(List.of(both), StationaryCrops.keep(List.of(both), List.of(standing)));
    }

    @Test
    public void anotherTrackReachingOutOfTheStillBoxesKeepsTheCrop() {
        Track walker = track(Track.State.ACTIVE, 120, 110, 60, 100);
        assertEquals(List.of(fidget), StationaryCrops.keep(List.of(fidget), List.of(standing, walker)));
        Track newcomer = track(Track.State.TENTATIVE, 60, 110, 50, 90);
        assertEquals(List.of(fidget), StationaryCrops.keep(List.of(fidget), List.of(standing, newcomer)));
        // a flickering part of the standing person (a shoe box) lies inside its grown box: not a reason to look again
        Track shoe = track(Track.State.LOST, 110, 190, 12, 8);
        assertEquals(List.of(), StationaryCrops.keep(List.of(fidget), List.of(standing, shoe)));
    }

    @Test
    public void withoutStationaryTracksEveryCropIsKept() {
        List<Region> crops = List.of(fidget);
        assertSame(crops, StationaryCrops.keep(crops, null));
        assertSame(crops, StationaryCrops.keep(crops, List.of(track(Track.State.ACTIVE, 100, 100, 40, 100))));
    }
}

package io.edgetune.motion.engine;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.edgetune.api.motion.Region;
import java.util.List;
import org.junit.Test;

public class RegionProposerTest {

    private final RegionProposer square = new RegionProposer(1.0, 160, 0.0, 3, 0.6);

    @Test
    public void aSmallAreaBecomesACenteredSquareOfTheMinimumSize() {
        List<Region> r = square.propose(List.of(new Region(300, 200, 30, 80)), 768, 576);
        assertEquals(List.of(new Region(235, 160, 160, 160)), r);
    }

    @Test
    public void aTallAreaGetsASquareAsWideAsItIsHigh() {
        Region crop = square.propose(List.of(new Region(100, 100, 40, 300)), 768, 576).get(0);
        assertEquals(300, crop.width());
        assertEquals(300, crop.height());
    }

    @Test
    public void cropsAtTheBorderAreShiftedInsideNotShrunk() {
        Region crop = square.propose(List.of(new Region(740, 550, 20, 20)), 768, 576).get(0);
        assertEquals(new Region(608, 416, 160, 160), crop);
    }

    @Test
    public void theDetectorAspectRatioIsKept() {
        RegionProposer wide = new RegionProposer(16.0 / 9, 180, 0.0, 3, 0.9);
        Region crop = wide.propose(List.of(new Region(500, 300, 50, 50)), 1920, 1080).get(0);
        assertEquals(180, crop.height());
        assertEquals(320, crop.width());
    }

    @Test
    public void overlappingCropsMerge() {
        List<Region> r = square.propose(List.of(new Region(300, 200, 30, 80), new Region(360, 210, 30, 80)), 768, 576);
        assertEquals(1, r.size());
        assertTrue(r.get(0).x() <= 300 && r.get(0).right() >= 390);
    }

    @Test
    public void theNumberOfCropsIsCapped() {
        List<Region> r = square.propose(List.of(new Region(0, 0, 20, 20), new Region(200, 0, 20, 20),
                new Region(400, 0, 20, 20), new Region(600, 400, 20, 20)), 1920, 1080);
        assertTrue(r.toString(), r.size() <= 3);
        for (int i = 0; i < r.size(); i++) {
            for (int j = i + 1; j < r.size(); j++) {
                assertEquals(0, r.get(i).intersectionArea(r.get(j)));
            }
        }
    }

    @Test
    public void cropsCoveringMostOfTheFrameBecomeTheFullFrame() {
        List<Region> r = square.propose(List.of(new Region(0, 0, 380, 380), new Region(400, 200, 360, 360)), 768, 576);
        assertEquals(List.of(new Region(0, 0, 768, 576)), r);
        assertTrue(RegionProposer.isFullFrame(r, 768, 576));
    }

    @Test
    public void noMotionNoCrops() {
        assertTrue(square.propose(List.of(), 768, 576).isEmpty());
    }
}

package io.edgetune.inference.regions;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.edgetune.api.detect.Detection;
import io.edgetune.api.motion.Region;
import java.util.List;
import org.junit.Test;

public class RegionPackerTest {

    private static final Region FULL = new Region(0, 0, 768, 576);

    @Test
    public void oneCropFillsTheInput() {
        List<RegionPacker.Pass> p = RegionPacker.DEFAULT.plan(List.of(new Region(100, 100, 160, 160)), 768, 576, 300, 300);
        assertEquals(1, p.size());
        assertTrue(p.get(0).single(300, 300));
    }

    @Test
    public void smallCropsShareOneMosaicPass() {
        List<Region> crops = List.of(new Region(0, 0, 160, 160), new Region(300, 0, 200, 200), new Region(500, 300, 260, 260));
        List<RegionPacker.Pass> p = RegionPacker.DEFAULT.plan(crops, 768, 576, 300, 300);
        assertEquals(1, p.size());
        assertEquals(3, p.get(0).tiles().size());
        for (RegionPacker.Tile t : p.get(0).tiles()) {
            assertEquals(150, t.width());
            assertEquals(150, t.height());
            // a quarter still shows each crop larger than the full frame shows the scene (300/576)
            assertTrue(150.0 / t.source().height() >= 300.0 / 576);
        }
    }

    @Test
    public void aCropTooLargeForAQuarterMakesItAFullFramePassWithinOnePass() {
        List<Region> crops = List.of(new Region(0, 0, 160, 160), new Region(300, 100, 400, 400));
        List<RegionPacker.Pass> one = RegionPacker.DEFAULT.plan(crops, 768, 576, 300, 300);
        assertEquals(1, one.size());
        assertEquals(FULL, one.get(0).tiles().get(0).source());
        // with two passes allowed the large crop runs alone and the small one fills an input of its own
        List<RegionPacker.Pass> two = new RegionPacker(2, true).plan(crops, 768, 576, 300, 300);
        assertEquals(2, two.size());
        assertEquals(new Region(300, 100, 400, 400), two.get(0).tiles().get(0).source());
        assertTrue(two.get(1).single(300, 300));
    }

    @Test
    public void withoutMosaicEachCropIsOnePassUpToTheLimit() {
        List<Region> crops = List.of(new Region(0, 0, 160, 160), new Region(300, 0, 160, 160));
        assertEquals(2, new RegionPacker(4, false).plan(crops, 768, 576, 300, 300).size());
        assertEquals(FULL, new RegionPacker(1, false).plan(crops, 768, 576, 300, 300).get(0).tiles().get(0).source());
    }

    @Test
    public void stillObjectsComeFromThePeriodicFullFramePassAndStayOutsideTheCrops() {
        StillObjects still = new StillObjects(3);
        List<Region> motion = List.of(new Region(300, 200, 160, 160));
        Detection car = new Detection(3, "Car", 0.8f, 20, 10, 60, 30);
        Detection walker = new Detection(1, "Person", 0.9f, 340, 220, 40, 90);
        assertEquals(motion, still.regionsToRun(motion));
        still.update(768, 576, motion, false, motion, List.of(walker));
        assertEquals(motion, still.regionsToRun(motion));
        still.update(768, 576, motion, false, motion, List.of(walker));
        // the third inference is the full-frame pass: the car (outside motion) is remembered, the walker is not
        assertEquals(List.of(), still.regionsToRun(motion));
        still.update(768, 576, motion, true, List.of(FULL), List.of(car, walker));
        assertEquals(List.of(car), still.remembered());
        // crop passes report the car with their own findings
        List<Detection> next = still.update(768, 576, motion, false, motion, List.of(walker));
        assertEquals(List.of(walker, car), next);
        // unless a crop covers it: there the crop's own detections speak
        List<Region> overCar = List.of(new Region(0, 0, 160, 160));
        assertEquals(List.of(), still.update(768, 576, overCar, false, overCar, List.of()));
        // a full-frame pass because motion covered the whole frame says nothing about what stands still
        still.update(768, 576, List.of(FULL), true, List.of(FULL), List.of(walker));
        assertEquals(List.of(car), still.remembered());
    }
}

package io.edgetune.inference;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.edgetune.inference.ssd.SsdAnchors;
import org.junit.Test;

public class SsdAnchorsTest {

    @Test
    public void mobilenetV2SchemeHas1917AnchorsInTheExpectedOrder() {
        SsdAnchors a = SsdAnchors.fromScheme("ssd-mobilenet-v2:300", 300);
        assertEquals(1917, a.count());
        // first cell of the 19x19 map: the small 0.1 square, then scale 0.2 at ratios 2 and 0.5
        assertEquals(0.5f / 19, a.centerX(0), 1e-6f);
        assertEquals(0.1f, a.height(0), 1e-6f);
        assertEquals(0.2f / (float) Math.sqrt(2), a.height(1), 1e-6f);
        assertEquals(0.2f * (float) Math.sqrt(2), a.width(1), 1e-6f);
        assertEquals(0.2f * (float) Math.sqrt(2), a.height(2), 1e-6f);
        // second cell moves along x
        assertEquals(1.5f / 19, a.centerX(3), 1e-6f);
        // first anchor of the 10x10 map: scale 0.35, ratio 1; the sixth is sqrt(0.35*0.5)
        int first10 = 19 * 19 * 3;
        assertEquals(0.35f, a.height(first10), 1e-5f);
        assertEquals((float) Math.sqrt(0.35 * 0.5), a.height(first10 + 5), 1e-5f);
        // last anchor: 1x1 map, centre of the image, interpolated scale sqrt(0.95*1)
        assertEquals(0.5f, a.centerY(1916), 1e-6f);
        assertEquals((float) Math.sqrt(0.95), a.width(1916), 1e-5f);
    }

    @Test
    public void overridesChangeTheGrid() {
        SsdAnchors a = SsdAnchors.fromScheme("ssd-mobilenet-v2;maps=4,2;lowest=full", 300);
        assertEquals((16 + 4) * 6, a.count());
        assertTrue(a.height(0) > 0.19f);
    }

    @Test(expected = IllegalArgumentException.class)
    public void unknownSchemeIsRefused() {
        SsdAnchors.fromScheme("yolo-v8", 640);
    }
}

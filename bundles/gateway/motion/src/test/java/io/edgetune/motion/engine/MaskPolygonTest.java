package io.edgetune.motion.engine;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import org.junit.Test;

public class MaskPolygonTest {

    @Test
    public void parsesPolygonsOfFractions() {
        List<MaskPolygon> m = MaskPolygon.parse(" 0.85,0 1,0 1,0.1 0.85,0.1 ; 0,0.5 0.2,0.6 0.1,0.9 ");
        assertEquals(2, m.size());
        assertArrayEquals(new double[] {0.85, 1, 1, 0.85}, m.get(0).xs(), 0);
        assertArrayEquals(new double[] {0.5, 0.6, 0.9}, m.get(1).ys(), 0);
        assertTrue(MaskPolygon.parse("").isEmpty());
        assertTrue(MaskPolygon.parse(null).isEmpty());
    }

    @Test
    public void rejectsPixelsWithAClearMessage() {
        assertMessage("10,10 200,10 200,50", "outside 0..1");
        assertMessage("0.1,0.1 0.2", "is not x,y");
        assertMessage("0.1,0.1 a,0.2 0.3,0.3", "not a pair of numbers");
        assertMessage("0.1,0.1; 0.1,0.1 0.2,0.2 0.3,0.1", "mask 1");
    }

    private static void assertMessage(String text, String expected) {
        try {
            MaskPolygon.parse(text);
            throw new AssertionError("accepted: " + text);
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains(expected));
        }
    }
}

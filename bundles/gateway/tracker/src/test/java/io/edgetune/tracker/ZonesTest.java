package io.edgetune.tracker;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.edgetune.api.track.Zone;
import io.edgetune.tracker.engine.Zones;
import java.util.List;
import java.util.Map;
import org.junit.Test;

public class ZonesTest {

    @Test
    public void zonesAreReadFromSeveralValuesAndBarSeparatedLists() {
        Map<String, List<Zone>> z = Zones.parse("plaza:entrance = 0,300; 380,300; 380,576; 0,576 | plaza:crossing=400,250;767,250;767,450",
                "door:in=1.5,2;10,2;10,20");
        assertEquals(List.of("plaza", "door"), List.copyOf(z.keySet()));
        assertEquals("entrance", z.get("plaza").get(0).name());
        assertEquals("crossing", z.get("plaza").get(1).name());
        assertEquals(List.of(1.5f, 2f, 10f, 2f, 10f, 20f), z.get("door").get(0).points());
        assertTrue(Zones.parse().isEmpty());
        assertTrue(Zones.parse("", " | ").isEmpty());
    }

    @Test
    public void aPointIsInsideByItsFeet() {
        Zone z = Zones.parse("c:z=100,100;200,100;200,200;100,200").get("c").get(0);
        assertTrue(Zones.contains(z, 150, 150));
        assertFalse(Zones.contains(z, 250, 150));
        assertFalse(Zones.contains(z, 150, 99));
        // a concave zone: the notch is outside
        Zone l = Zones.parse("c:l=0,0;100,0;100,40;40,40;40,100;0,100").get("c").get(0);
        assertTrue(Zones.contains(l, 20, 80));
        assertFalse(Zones.contains(l, 80, 80));
    }

    @Test
    public void badZonesAreRefusedWithAMessageThatNamesThem() {
        refused("plaza:loading=", "zone plaza:loading is empty");
        refused("plaza:loading=10,10;20,20", "zone plaza:loading has 2 points: a zone needs at least three");
        refused("plaza:bow=0,0;100,100;100,0;0,100", "zone plaza:bow: edges 1 and 3 cross (the polygon intersects itself)");
        refused("plaza:line=0,0;50,50;100,100", "zone plaza:line has no area");
        refused("plaza:neg=-5,0;100,0;100,100", "zone plaza:neg: point '-5,0' is outside the frame");
        refused("plaza:x=a,0;100,0;100,100", "zone plaza:x: 'a' in point 'a,0' is not a number");
        refused("plaza:x=1,0,3;100,0;100,100", "zone plaza:x: point '1,0,3' must be x,y");
        refused("loading=1,1;2,2;3,1", "zone 'loading=1,1;2,2;3,1' must be written camera:name=x,y;x,y;x,y");
        refused("plaza:a/b=1,1;9,1;5,5", "camera and zone names are letters");
        refused("plaza:a=1,1;9,1;5,5|plaza:a=1,1;9,1;5,6", "zone plaza:a is defined twice");
        // an edge that runs back over the one before it
        refused("plaza:fold=0,0;100,0;50,0;50,50", "zone plaza:fold");
    }

    @Test
    public void aZoneOutsideTheFrameIsRefusedOnceTheFrameSizeIsKnown() {
        Zone z = Zones.parse("plaza:far=700,500;800,500;800,576").get("plaza").get(0);
        Zones.checkInside(z, 800, 600);
        try {
            Zones.checkInside(z, 768, 576);
            fail();
        } catch (IllegalArgumentException e) {
            assertEquals("zone plaza:far: point 800,500 is outside the 768x576 frame of camera plaza", e.getMessage());
        }
    }

    private static void refused(String value, String start) {
        try {
            Zones.parse(value);
            fail("accepted: " + value);
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith(start) || e.getMessage().contains(start));
        }
    }
}

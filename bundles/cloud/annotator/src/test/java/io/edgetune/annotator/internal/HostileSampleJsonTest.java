package io.edgetune.annotator.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import org.junit.Test;

/** A gateway's detections JSON arrives from the network: nesting is bounded, and a hostile value costs only the overlay. */
public class HostileSampleJsonTest {

    @Test
    public void deepNestingIsRefusedWithAReasonNotAStackOverflow() {
        String deep = "{\"det\":" + "[".repeat(200_000) + "]".repeat(200_000) + "}";
        try {
            BoundedJson.parse(deep, Integer.MAX_VALUE);
            throw new AssertionError("accepted");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("nested deeper than"));
        }
        assertEquals("the sample keeps no gateway boxes, and nothing is thrown", List.of(), SampleIngest.edgeBoxes(deep, "gw", "cam"));
    }

    @Test
    public void ordinaryNestingStillParses() {
        String nested64 = "[".repeat(BoundedJson.MAX_DEPTH) + "]".repeat(BoundedJson.MAX_DEPTH);
        assertTrue(BoundedJson.parse(nested64, Integer.MAX_VALUE).isJsonArray());
        assertTrue(BoundedJson.parse("{\"det\":[{\"c\":4,\"l\":\"Person\",\"s\":0.9,\"b\":[1,2,3,4]}]}", 100).isJsonObject());
        assertEquals(List.of(new io.edgetune.api.detect.Detection(4, "Person", 0.9f, 1, 2, 3, 4)), SampleIngest.edgeBoxes("{\"det\":[{\"c\":4,\"l\":\"Person\",\"s\":0.9,\"b\":[1,2,3,4]}]}", "gw", "cam"));
    }

    @Test
    public void oversizedOrMalformedTextIsRefusedWithAReason() {
        try {
            BoundedJson.parse("[1,2,3]", 6);
            throw new AssertionError("accepted");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("more than 6"));
        }
        for (String bad : new String[] {"{\"det\":[]} x", "{det:[]}", "{\"det\":[1,]}", ""}) {
            try {
                BoundedJson.parse(bad, 100);
                throw new AssertionError("accepted " + bad);
            } catch (IllegalArgumentException expected) {
                // strict JSON only, as before
            }
        }
        String tooLong = "{\"det\":[],\"pad\":\"" + "x".repeat(SampleIngest.MAX_DETECTIONS_CHARS) + "\"}";
        assertEquals(List.of(), SampleIngest.edgeBoxes(tooLong, "gw", "cam"));
    }

    @Test
    public void aHostileTrackIdIsIgnoredAndTheBoxKeptUntracked() {
        String[] hostile = {"\"7\"", "-3", "0", "1.5", "1e400", "99999999999999999999", "[1]", "{\"a\":1}", "true", "null"};
        for (String t : hostile) {
            String json = "{\"det\":[{\"c\":4,\"l\":\"Person\",\"t\":" + t + ",\"s\":0.4,\"b\":[1,2,3,4]},"
                    + "{\"c\":4,\"l\":\"Person\",\"t\":12,\"s\":0.9,\"b\":[10,20,30,40]}]}";
            SampleIngest.EdgeBoxes e = SampleIngest.edgeTracked(json, "gw", "cam");
            assertEquals("both boxes kept with \"t\":" + t, 2, e.boxes().size());
            assertEquals("\"t\":" + t + " is no track id", 0L, e.trackIds()[0]);
            assertEquals("the other box keeps its id", 12L, e.trackIds()[1]);
        }
        // without "t" (a gateway without tracker, or an older one) every box is untracked
        SampleIngest.EdgeBoxes old = SampleIngest.edgeTracked("{\"det\":[{\"c\":4,\"l\":\"Person\",\"s\":0.9,\"b\":[1,2,3,4]}]}", "gw", "cam");
        assertEquals(1, old.boxes().size());
        assertEquals(0L, old.trackIds()[0]);
        assertEquals(0, SampleIngest.edgeTracked("not json", "gw", "cam").trackIds().length);
    }

    @Test
    public void trackIdsMustMatchTheBoxes() {
        try {
            new TemporalCheck.Tracks(List.of(new io.edgetune.api.detect.Detection(4, "Person", 0.9f, 1, 2, 3, 4)), new long[2],
                    java.util.Set.of());
            throw new AssertionError("accepted");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("1 gateway boxes but 2 track ids"));
        }
    }
}

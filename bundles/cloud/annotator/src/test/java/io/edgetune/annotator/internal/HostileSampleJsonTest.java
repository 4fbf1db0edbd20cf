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
            JsonReader.parse(deep);
            throw new AssertionError("accepted");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("nested deeper than"));
        }
        assertEquals("the sample keeps no gateway boxes, and nothing is thrown", List.of(), SampleIngest.edgeBoxes(deep, "gw", "cam"));
    }

    @Test
    public void ordinaryNestingStillParses() {
        Object v = JsonReader.parse("{\"det\":[{\"c\":4,\"l\":\"Person\",\"s\":0.9,\"b\":[1,2,3,4]}]}");
        assertTrue(v instanceof java.util.Map);
        assertEquals(1, SampleIngest.edgeBoxes("{\"det\":[{\"c\":4,\"l\":\"Person\",\"s\":0.9,\"b\":[1,2,3,4]}]}", "gw", "cam").size());
    }
}

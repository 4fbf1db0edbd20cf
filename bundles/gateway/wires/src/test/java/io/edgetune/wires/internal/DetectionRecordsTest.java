package io.edgetune.wires.internal;

import static org.junit.Assert.assertEquals;

import io.edgetune.api.detect.Detection;
import java.util.List;
import org.junit.Test;

public class DetectionRecordsTest {

    @Test
    public void boxesAreWrittenInTheUploadersShapeWithRoundedNumbers() {
        String json = DetectionRecords.json(List.of(new Detection(1, "person", 0.91234f, 10.04f, 20.06f, 30f, 40.5f)));
        assertEquals("[{\"c\":1,\"l\":\"person\",\"s\":0.912,\"b\":[10.0,20.1,30.0,40.5]}]", json);
    }

    @Test
    public void labelsAreWrittenAsTheyAreAndEscapedOnlyWhereJsonNeedsIt() {
        String json = DetectionRecords.json(List.of(new Detection(2, "a=b <\"c\">", 0.5f, 0, 0, 1, 1)));
        assertEquals("[{\"c\":2,\"l\":\"a=b <\\\"c\\\">\",\"s\":0.5,\"b\":[0.0,0.0,1.0,1.0]}]", json);
    }

    @Test
    public void numbersJsonCannotHoldBecomeNull() {
        String json = DetectionRecords.json(List.of(new Detection(3, null, Float.NaN, Float.POSITIVE_INFINITY, -0.01f, 1, 1)));
        assertEquals("[{\"c\":3,\"l\":null,\"s\":null,\"b\":[null,0.0,1.0,1.0]}]", json);
    }
}

package io.edgetune.modelpackage;

import static org.junit.Assert.assertEquals;

import java.util.List;
import org.junit.Test;

public class LabelFileTest {

    @Test
    public void plainFilesKeepTheirLines() {
        assertEquals(List.of("???", "Bicycle", "Person"), LabelFile.parse(List.of("???", "Bicycle", "", "  Person ")));
    }

    @Test
    public void coralFilesShiftIdsPastTheBackgroundAndFillGaps() {
        // Coral's COCO files skip ids (no 11, 25, ...): id k is label k + 1
        assertEquals(List.of("???", "person", "bicycle", "???", "traffic light", "fire hydrant"),
                LabelFile.parse(List.of("0  person", "1 bicycle", "3 traffic light", "4:fire hydrant")));
    }

    @Test
    public void oneLineThatIsNotIdLabelMakesItAPlainFile() {
        assertEquals(List.of("???", "0 person"), LabelFile.parse(List.of("???", "0 person")));
    }
}

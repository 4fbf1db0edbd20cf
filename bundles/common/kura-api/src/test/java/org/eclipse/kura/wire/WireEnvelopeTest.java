package org.eclipse.kura.wire;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.kura.type.TypedValue;
import org.eclipse.kura.type.TypedValues;
import org.junit.Test;

public class WireEnvelopeTest {

    @Test
    public void anEnvelopeCarriesTheEmitterPidAndReadOnlyRecordsInTheWiresScope() {
        Map<String, TypedValue<?>> props = new HashMap<>();
        props.put("count", TypedValues.newIntegerValue(2));
        List<WireRecord> records = new ArrayList<>(List.of(new WireRecord(props)));

        WireEnvelope e = new WireEnvelope("detections-front", records);

        assertEquals("detections-front", e.getEmitterPid());
        assertEquals("detections-front", e.getIdentification());
        assertEquals("WIRES", e.getScope());
        assertEquals(2, e.getRecords().get(0).getProperties().get("count").getValue());
        assertThrows(UnsupportedOperationException.class, () -> e.getRecords().clear());
        assertThrows(UnsupportedOperationException.class, () -> e.getRecords().get(0).getProperties().clear());
        assertThrows(NullPointerException.class, () -> new WireRecord(null));
    }
}

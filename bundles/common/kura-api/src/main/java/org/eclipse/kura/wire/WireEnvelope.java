package org.eclipse.kura.wire;

import java.util.Collections;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;
import org.osgi.service.wireadmin.BasicEnvelope;

/**
 * What travels on a wire: the records of one emission, identified by the
 * emitter's PID, with the wire admin scope {@code WIRES}.
 */
@ProviderType
public class WireEnvelope extends BasicEnvelope {

    public WireEnvelope(final String emitterPid, final List<WireRecord> wireRecords) {
        super(Collections.unmodifiableList(wireRecords), emitterPid, "WIRES");
    }

    public String getEmitterPid() {
        return (String) getIdentification();
    }

    @SuppressWarnings("unchecked")
    public List<WireRecord> getRecords() {
        return (List<WireRecord>) getValue();
    }
}

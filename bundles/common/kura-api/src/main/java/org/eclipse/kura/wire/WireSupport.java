package org.eclipse.kura.wire;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;
import org.osgi.service.wireadmin.Consumer;
import org.osgi.service.wireadmin.Producer;

/**
 * A component's link to the wires it is connected to, made by
 * {@link WireHelperService#newWireSupport}. The component forwards its
 * {@link Producer} and {@link Consumer} callbacks here.
 */
@ProviderType
public interface WireSupport extends Producer, Consumer {

    /** Sends the records, in one envelope, on every wire the emitter is connected to. */
    void emit(List<WireRecord> wireRecords);
}

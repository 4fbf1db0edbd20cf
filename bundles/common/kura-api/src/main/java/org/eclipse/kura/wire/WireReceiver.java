package org.eclipse.kura.wire;

import org.osgi.annotation.versioning.ConsumerType;
import org.osgi.service.wireadmin.Consumer;

/**
 * A wire component that consumes records. Implementations hand the
 * {@link Consumer} callbacks to their {@link WireSupport}, which calls
 * {@link #onWireReceive(WireEnvelope)} for each envelope that arrives.
 */
@ConsumerType
public interface WireReceiver extends WireComponent, Consumer {

    void onWireReceive(WireEnvelope wireEnvelope);
}

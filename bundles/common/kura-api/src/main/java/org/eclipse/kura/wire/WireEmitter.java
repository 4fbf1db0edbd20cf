package org.eclipse.kura.wire;

import org.osgi.annotation.versioning.ConsumerType;
import org.osgi.service.wireadmin.Producer;

/**
 * A wire component that produces records. Implementations hand the
 * {@link Producer} callbacks to their {@link WireSupport} and emit through it.
 */
@ConsumerType
public interface WireEmitter extends WireComponent, Producer {
}

package org.eclipse.kura.wire;

import org.osgi.annotation.versioning.ProviderType;
import org.osgi.framework.ServiceReference;

/** Kura's wire runtime as a service: PIDs of wire components and their {@link WireSupport}. */
@ProviderType
public interface WireHelperService {

    /** The {@code kura.service.pid} of a registered wire component, or null. */
    String getPid(WireComponent wireComponent);

    /** The {@code service.pid} of the wire component with that {@code kura.service.pid}, or null. */
    String getServicePid(String wireComponentPid);

    /** The {@code service.pid} of a registered wire component, or null. */
    String getServicePid(WireComponent wireComponent);

    boolean isEmitter(String wireComponentPid);

    boolean isReceiver(String wireComponentPid);

    /**
     * The wire support of a component, given the component and the reference
     * under which it is registered (from which the emitter's PID is read).
     */
    WireSupport newWireSupport(WireComponent wireComponent, ServiceReference<WireComponent> wireComponentRef);
}

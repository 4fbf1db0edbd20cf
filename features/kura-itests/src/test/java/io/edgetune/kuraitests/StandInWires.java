package io.edgetune.kuraitests;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.kura.wire.WireComponent;
import org.eclipse.kura.wire.WireEnvelope;
import org.eclipse.kura.wire.WireHelperService;
import org.eclipse.kura.wire.WireReceiver;
import org.eclipse.kura.wire.WireRecord;
import org.eclipse.kura.wire.WireSupport;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.wireadmin.Wire;

/**
 * Kura's WireHelperService as the test plays it: every emitter's WireSupport
 * is wired to one receiver of the test, which keeps the envelopes it gets.
 * Kura's Wires runtime (graph, Wire Admin) is not on Maven Central; its
 * contract towards a component is this service.
 */
final class StandInWires implements WireHelperService, WireReceiver {

    private final BlockingQueue<WireEnvelope> received = new LinkedBlockingQueue<>();
    private ServiceRegistration<WireHelperService> registration;

    static StandInWires register(BundleContext context) {
        StandInWires w = new StandInWires();
        w.registration = context.registerService(WireHelperService.class, w, null);
        return w;
    }

    void unregister() {
        registration.unregister();
    }

    WireEnvelope await(long timeoutMillis) throws InterruptedException {
        return received.poll(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public String getPid(WireComponent wireComponent) {
        return null;
    }

    @Override
    public String getServicePid(String wireComponentPid) {
        return wireComponentPid;
    }

    @Override
    public String getServicePid(WireComponent wireComponent) {
        return null;
    }

    @Override
    public boolean isEmitter(String wireComponentPid) {
        return true;
    }

    @Override
    public boolean isReceiver(String wireComponentPid) {
        return false;
    }

    @Override
    public WireSupport newWireSupport(WireComponent component, ServiceReference<WireComponent> reference) {
        String pid = reference == null ? "?" : String.valueOf(reference.getProperty("kura.service.pid"));
        return new WireSupport() {
            @Override
            public void emit(List<WireRecord> records) {
                onWireReceive(new WireEnvelope(pid, records));
            }

            @Override
            public Object polled(Wire wire) {
                return null;
            }

            @Override
            public void consumersConnected(Wire[] wires) {
            }

            @Override
            public void updated(Wire wire, Object value) {
            }

            @Override
            public void producersConnected(Wire[] wires) {
            }
        };
    }

    @Override
    public void onWireReceive(WireEnvelope envelope) {
        received.add(envelope);
    }

    @Override
    public void updated(Wire wire, Object value) {
    }

    @Override
    public void producersConnected(Wire[] wires) {
    }
}

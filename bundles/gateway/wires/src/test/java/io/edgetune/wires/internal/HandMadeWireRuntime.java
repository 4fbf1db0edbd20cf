package io.edgetune.wires.internal;

import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import org.eclipse.kura.wire.WireComponent;
import org.eclipse.kura.wire.WireEnvelope;
import org.eclipse.kura.wire.WireHelperService;
import org.eclipse.kura.wire.WireReceiver;
import org.eclipse.kura.wire.WireRecord;
import org.eclipse.kura.wire.WireSupport;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.ComponentInstance;
import org.osgi.service.wireadmin.Consumer;
import org.osgi.service.wireadmin.Producer;
import org.osgi.service.wireadmin.Wire;

/**
 * A small Kura wire runtime for tests: Kura's wire runtime is not on Maven
 * Central, so this implements Kura's interfaces the way Kura's contract
 * describes them. The support reads the emitter's PID from the
 * {@code kura.service.pid} of the component's service reference and, on
 * emit, sends one {@link WireEnvelope} over every wire the emitter was
 * connected to; a wire calls its consumer's {@code updated} with the
 * envelope, and a receiver's support turns that into {@code onWireReceive}.
 */
final class HandMadeWireRuntime implements WireHelperService {

    final List<EmitterSupport> supports = new CopyOnWriteArrayList<>();

    @Override
    public String getPid(WireComponent wireComponent) {
        for (EmitterSupport s : supports) {
            if (s.component == wireComponent) {
                return s.emitterPid;
            }
        }
        return null;
    }

    @Override
    public String getServicePid(String wireComponentPid) {
        for (EmitterSupport s : supports) {
            if (s.emitterPid.equals(wireComponentPid)) {
                return (String) s.reference.getProperty("service.pid");
            }
        }
        return null;
    }

    @Override
    public String getServicePid(WireComponent wireComponent) {
        String pid = getPid(wireComponent);
        return pid == null ? null : getServicePid(pid);
    }

    @Override
    public boolean isEmitter(String wireComponentPid) {
        return getServicePid(wireComponentPid) != null;
    }

    @Override
    public boolean isReceiver(String wireComponentPid) {
        return false;
    }

    @Override
    public WireSupport newWireSupport(WireComponent wireComponent, ServiceReference<WireComponent> wireComponentRef) {
        EmitterSupport s = new EmitterSupport(wireComponent, wireComponentRef);
        supports.add(s);
        return s;
    }

    /** The emitting side of Kura's WireSupport. */
    static final class EmitterSupport implements WireSupport {

        final WireComponent component;
        final ServiceReference<WireComponent> reference;
        final String emitterPid;
        volatile Wire[] wires = new Wire[0];
        volatile WireEnvelope last;

        EmitterSupport(WireComponent component, ServiceReference<WireComponent> reference) {
            this.component = component;
            this.reference = reference;
            this.emitterPid = String.valueOf(reference.getProperty("kura.service.pid"));
        }

        @Override
        public void emit(List<WireRecord> wireRecords) {
            WireEnvelope envelope = new WireEnvelope(emitterPid, new ArrayList<>(wireRecords));
            last = envelope;
            for (Wire w : wires) {
                w.update(envelope);
            }
        }

        @Override
        public Object polled(Wire wire) {
            return last;
        }

        @Override
        public void consumersConnected(Wire[] connected) {
            wires = connected == null ? new Wire[0] : connected.clone();
        }

        @Override
        public void updated(Wire wire, Object value) {
            throw new UnsupportedOperationException("an emitter's support receives nothing");
        }

        @Override
        public void producersConnected(Wire[] connected) {
            throw new UnsupportedOperationException("an emitter's support has no producers");
        }
    }

    /** A connected, valid wire from one producer to one consumer, delivering on the caller's thread. */
    static final class DirectWire implements Wire {

        private final Producer producer;
        private final Consumer consumer;
        private volatile Object lastValue;

        DirectWire(Producer producer, Consumer consumer) {
            this.producer = producer;
            this.consumer = consumer;
        }

        @Override
        public boolean isValid() {
            return true;
        }

        @Override
        public boolean isConnected() {
            return true;
        }

        @Override
        public Class<?>[] getFlavors() {
            return null;
        }

        @Override
        public void update(Object value) {
            lastValue = value;
            consumer.updated(this, value);
        }

        @Override
        public Object poll() {
            Object v = producer.polled(this);
            lastValue = v;
            return v;
        }

        @Override
        public Object getLastValue() {
            return lastValue;
        }

        @Override
        public Dictionary<String, Object> getProperties() {
            return new Hashtable<>();
        }

        @Override
        public boolean hasScope(String name) {
            return true;
        }

        @Override
        public String[] getScope() {
            return null;
        }
    }

    /** A WireReceiver that keeps every envelope it is given; its delivery can be held to play a slow graph. */
    static final class RecordingReceiver implements WireReceiver {

        final BlockingQueue<WireEnvelope> received = new LinkedBlockingQueue<>();
        volatile Runnable beforeEachDelivery = () -> { };

        @Override
        public void updated(Wire wire, Object value) {
            if (value instanceof WireEnvelope envelope) {
                onWireReceive(envelope);
            }
        }

        @Override
        public void producersConnected(Wire[] wires) {
        }

        @Override
        public void onWireReceive(WireEnvelope wireEnvelope) {
            beforeEachDelivery.run();
            received.add(wireEnvelope);
        }
    }

    /** What SCR hands the component in activate: its properties and its service reference. */
    static final class Context implements ComponentContext {

        private final Hashtable<String, Object> properties;

        Context(Map<String, Object> properties) {
            this.properties = new Hashtable<>(properties);
        }

        @Override
        public Dictionary<String, Object> getProperties() {
            return properties;
        }

        @Override
        public ServiceReference<?> getServiceReference() {
            return new Reference(properties);
        }

        @Override
        public <S> S locateService(String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <S> S locateService(String name, ServiceReference<S> reference) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Object[] locateServices(String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public BundleContext getBundleContext() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Bundle getUsingBundle() {
            return null;
        }

        @Override
        public <S> ComponentInstance<S> getComponentInstance() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void enableComponent(String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void disableComponent(String name) {
            throw new UnsupportedOperationException();
        }
    }

    /** The component's service reference: only its properties matter to a wire support. */
    static final class Reference implements ServiceReference<WireComponent> {

        private final Hashtable<String, Object> properties;

        Reference(Hashtable<String, Object> properties) {
            this.properties = properties;
        }

        @Override
        public Object getProperty(String key) {
            return properties.get(key);
        }

        @Override
        public String[] getPropertyKeys() {
            return properties.keySet().toArray(new String[0]);
        }

        @Override
        public Dictionary<String, Object> getProperties() {
            return new Hashtable<>(properties);
        }

        @Override
        public Bundle getBundle() {
            return null;
        }

        @Override
        public Bundle[] getUsingBundles() {
            return null;
        }

        @Override
        public boolean isAssignableTo(Bundle bundle, String className) {
            return true;
        }

        @Override
        public int compareTo(Object reference) {
            return 0;
        }

        @Override
        public <A> A adapt(Class<A> type) {
            return null;
        }
    }
}

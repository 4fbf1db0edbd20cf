package io.edgetune.kuraitests;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.kura.KuraErrorCode;
import org.eclipse.kura.KuraException;
import org.eclipse.kura.cloudconnection.listener.CloudConnectionListener;
import org.eclipse.kura.cloudconnection.listener.CloudDeliveryListener;
import org.eclipse.kura.cloudconnection.message.KuraMessage;
import org.eclipse.kura.cloudconnection.publisher.CloudPublisher;
import org.eclipse.kura.cloudconnection.request.RequestHandler;
import org.eclipse.kura.cloudconnection.request.RequestHandlerRegistry;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ManagedServiceFactory;

/**
 * What Kura's Kapua cloud connection offers EdgeTune, played by the test:
 * the CloudPublisher factory ({@value #PUBLISHER_FACTORY_PID}, instances
 * configured by the snapshot with appId and app.topic) and the
 * RequestHandlerRegistry. Published messages are kept with the topic
 * Kura would build ({appId}/{app.topic} with $property levels filled from the
 * message properties), not sent anywhere.
 */
final class StandInCloud implements ManagedServiceFactory, RequestHandlerRegistry {

    static final String PUBLISHER_FACTORY_PID = "org.eclipse.kura.cloud.publisher.CloudPublisher";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$([^\\s/]+)");

    /** A message as Kura's publisher would send it. */
    record Sent(String publisherPid, String topic, KuraMessage message) {
    }

    private final BundleContext context;
    private final Map<String, ServiceRegistration<CloudPublisher>> publishers = new ConcurrentHashMap<>();
    private final Map<String, RequestHandler> handlers = new ConcurrentHashMap<>();
    private final BlockingQueue<Sent> sent = new LinkedBlockingQueue<>();
    private final List<ServiceRegistration<?>> own = new ArrayList<>();
    private final AtomicLong ids = new AtomicLong();

    private StandInCloud(BundleContext context) {
        this.context = context;
    }

    static StandInCloud register(BundleContext context) {
        StandInCloud cloud = new StandInCloud(context);
        Hashtable<String, Object> p = new Hashtable<>();
        p.put("service.pid", PUBLISHER_FACTORY_PID);
        cloud.own.add(context.registerService(ManagedServiceFactory.class, cloud, p));
        Hashtable<String, Object> r = new Hashtable<>();
        r.put("kura.service.pid", "org.eclipse.kura.cloud.CloudService");
        cloud.own.add(context.registerService(RequestHandlerRegistry.class, cloud, r));
        return cloud;
    }

    void unregister() {
        own.forEach(ServiceRegistration::unregister);
        publishers.values().forEach(ServiceRegistration::unregister);
        publishers.clear();
    }

    @Override
    public String getName() {
        return "Kura cloud publisher stand-in";
    }

    @Override
    public void updated(String pid, Dictionary<String, ?> properties) {
        Hashtable<String, Object> props = new Hashtable<>();
        for (String k : Collections.list(properties.keys())) {
            props.put(k, properties.get(k));
        }
        String kuraPid = (String) props.get("kura.service.pid");
        String appId = (String) props.get("appId");
        String appTopic = (String) props.get("app.topic");
        ServiceRegistration<CloudPublisher> old = publishers.remove(pid);
        if (old != null) {
            old.unregister();
        }
        publishers.put(pid, context.registerService(CloudPublisher.class, new Publisher(kuraPid, appId, appTopic), props));
    }

    @Override
    public void deleted(String pid) {
        ServiceRegistration<CloudPublisher> old = publishers.remove(pid);
        if (old != null) {
            old.unregister();
        }
    }

    @Override
    public void registerRequestHandler(String id, RequestHandler handler) throws KuraException {
        handlers.put(id, handler);
    }

    @Override
    public void unregister(String id) throws KuraException {
        handlers.remove(id);
    }

    RequestHandler handler(String id) {
        return handlers.get(id);
    }

    boolean hasHandlers() {
        return !handlers.isEmpty();
    }

    /** The next message a publisher with {@code kuraPid} sent, waiting up to the timeout. */
    Sent await(String kuraPid, long timeoutMillis) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMillis;
        for (long left = timeoutMillis; left > 0; left = end - System.currentTimeMillis()) {
            Sent s = sent.poll(left, TimeUnit.MILLISECONDS);
            if (s != null && s.publisherPid().equals(kuraPid)) {
                return s;
            }
        }
        return null;
    }

    int publisherCount() {
        return publishers.size();
    }

    private final class Publisher implements CloudPublisher {
        private final String kuraPid;
        private final String appId;
        private final String appTopic;

        Publisher(String kuraPid, String appId, String appTopic) {
            this.kuraPid = kuraPid;
            this.appId = appId;
            this.appTopic = appTopic;
        }

        @Override
        public String publish(KuraMessage message) throws KuraException {
            if (message == null || message.getPayload() == null) {
                throw new KuraException(KuraErrorCode.INVALID_PARAMETER, "no payload");
            }
            Matcher m = PLACEHOLDER.matcher(appTopic);
            StringBuilder topic = new StringBuilder(appId).append('/');
            while (m.find()) {
                Object v = message.getProperties().get(m.group(1));
                if (v == null) {
                    throw new KuraException(KuraErrorCode.INVALID_PARAMETER, "no message property " + m.group(1));
                }
                m.appendReplacement(topic, Matcher.quoteReplacement(v.toString()));
            }
            m.appendTail(topic);
            sent.add(new Sent(kuraPid, topic.toString(), message));
            return Long.toString(ids.incrementAndGet());
        }

        @Override
        public void registerCloudConnectionListener(CloudConnectionListener listener) {
        }

        @Override
        public void unregisterCloudConnectionListener(CloudConnectionListener listener) {
        }

        @Override
        public void registerCloudDeliveryListener(CloudDeliveryListener listener) {
        }

        @Override
        public void unregisterCloudDeliveryListener(CloudDeliveryListener listener) {
        }
    }
}

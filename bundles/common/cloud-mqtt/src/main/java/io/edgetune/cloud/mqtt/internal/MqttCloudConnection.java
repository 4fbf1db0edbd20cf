package io.edgetune.cloud.mqtt.internal;

import io.edgetune.cloud.mqtt.codec.KuraPayloadCodec;
import io.edgetune.cloud.mqtt.codec.KuraTopics;
import io.edgetune.cloud.mqtt.codec.PayloadFormatException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Date;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.SocketFactory;
import org.eclipse.kura.KuraErrorCode;
import org.eclipse.kura.KuraException;
import org.eclipse.kura.cloudconnection.listener.CloudConnectionListener;
import org.eclipse.kura.cloudconnection.listener.CloudDeliveryListener;
import org.eclipse.kura.cloudconnection.request.RequestHandler;
import org.eclipse.kura.cloudconnection.request.RequestHandlerRegistry;
import org.eclipse.kura.cloudconnection.subscriber.listener.CloudSubscriberListener;
import org.eclipse.kura.message.KuraPayload;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's MQTT cloud connection (Kura/Kapua namespace) on Eclipse Paho.
 *
 * <p>Every outgoing message goes through the disk {@link Outbox}; one sender
 * thread owns the Paho client: it connects (with exponential back-off),
 * publishes the birth certificate, then drains the outbox in order with a
 * bounded window of unacknowledged messages. A message leaves the outbox only
 * when the broker acknowledged it (QoS 1), so broker outages and gateway
 * restarts lose nothing; a message may be sent twice after an outage.
 *
 * <p>Incoming control messages ($EDC/{account}/{client-id}/#) are routed on
 * a separate worker so Paho's callback thread never blocks; request handlers
 * run on two more threads, as on Kura.
 *
 * <p>Lifecycle messages follow Kura: the birth certificate on every new
 * connection, and when the set of request handlers changes on a live
 * connection the same metrics on $EDC/{account}/{client-id}/MQTT/APPS.
 */
public final class MqttCloudConnection implements RequestHandlerRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(MqttCloudConnection.class);

    private final ConnectionSettings settings;
    private final Outbox outbox;
    private final SocketFactory socketFactory;
    private final String frameworkVersion;
    private final DeviceProfile device;
    private final long startMillis = System.currentTimeMillis();

    private final Map<String, RequestHandler> handlers = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<SubscriberBinding> subscribers = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<CloudConnectionListener> connectionListeners = new CopyOnWriteArrayList<>();
    private final Map<String, CopyOnWriteArrayList<CloudDeliveryListener>> deliveryListeners = new ConcurrentHashMap<>();
    private final RequestDispatcher dispatcher;
    private final ThreadPoolExecutor incoming;
    private final ThreadPoolExecutor handlerThreads;

    private final Object wakeup = new Object();
    private volatile boolean running;
    private volatile boolean connected;
    private volatile boolean appsDue;
    private volatile MqttAsyncClient client;
    private Thread sender;

    private final AtomicLong connects = new AtomicLong();
    private final AtomicLong connectionLosses = new AtomicLong();
    private final AtomicLong incomingDropped = new AtomicLong();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong appsPublished = new AtomicLong();

    /** A CloudSubscriber's topic filter and listener. */
    record SubscriberBinding(String filter, int qos, CloudSubscriberListener listener) {
    }

    /** Connection state and counters for status reports and tests. */
    public record Status(boolean connected, long connects, long connectionLosses, long published,
                         long incomingDropped, long requests, long requestErrors, Outbox.Stats outbox) {
    }

    public MqttCloudConnection(ConnectionSettings settings, Path outboxDir, String frameworkVersion) throws IOException {
        this(settings, outboxDir, frameworkVersion, DeviceProfile.detect("unknown", "unknown"));
    }

    public MqttCloudConnection(ConnectionSettings settings, Path outboxDir, String frameworkVersion, DeviceProfile device)
            throws IOException {
        this.settings = settings;
        this.frameworkVersion = frameworkVersion;
        this.device = device;
        this.socketFactory = settings.tls() ? TlsSupport.socketFactory(settings) : null;
        this.outbox = new Outbox(outboxDir, settings.outboxMaxBytes(), settings.outboxMaxMessages(), settings.outboxFsync());
        this.handlerThreads = new ThreadPoolExecutor(RequestDispatcher.HANDLER_THREADS, RequestDispatcher.HANDLER_THREADS, 0,
                TimeUnit.SECONDS, new ArrayBlockingQueue<>(64), daemon("edgetune-mqtt-request-handler"));
        this.dispatcher = new RequestDispatcher(settings.accountName(), settings.clientId(), handlers, subscribers,
                this::publishReply, handlerThreads);
        this.incoming = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(256),
                daemon("edgetune-mqtt-incoming"));
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicLong n = new AtomicLong();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    public ConnectionSettings settings() {
        return settings;
    }

    /** Starts the sender thread and returns at once. */
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        sender = new Thread(this::runSender, "edgetune-mqtt-sender");
        sender.setDaemon(true);
        sender.start();
    }

    /** Sends the disconnect certificate when connected, closes, and waits at most the given time. */
    public void stop(long timeoutMillis) {
        Thread t;
        synchronized (this) {
            running = false;
            t = sender;
            sender = null;
        }
        synchronized (wakeup) {
            wakeup.notifyAll();
        }
        outbox.close();
        if (t != null) {
            try {
                t.join(timeoutMillis);
                if (t.isAlive()) {
                    t.interrupt();
                    t.join(1000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        incoming.shutdownNow();
        handlerThreads.shutdownNow();
        closeClient(client);
        client = null;
    }

    public boolean isConnected() {
        return connected;
    }

    public Status status() {
        return new Status(connected, connects.get(), connectionLosses.get(), published.get(), incomingDropped.get(),
                dispatcher.requests(), dispatcher.errors(), outbox.stats());
    }

    // ------------------------------------------------------------------ publishing

    /**
     * Encodes and stores a message for delivery; returns its id (the outbox
     * sequence number) which {@link CloudDeliveryListener}s of the same origin
     * see confirmed once the broker acknowledged it.
     */
    public String publish(String topic, int qos, boolean retain, String origin, KuraPayload payload) throws KuraException {
        if (qos < 0 || qos > 2) {
            throw new KuraException(KuraErrorCode.INVALID_PARAMETER, "qos must be 0, 1 or 2, not " + qos);
        }
        if (topic == null || topic.isEmpty() || topic.contains("+") || topic.contains("#")) {
            throw new KuraException(KuraErrorCode.INVALID_PARAMETER, "invalid publish topic '" + topic + "'");
        }
        byte[] bytes;
        try {
            bytes = KuraPayloadCodec.encode(payload, settings.gzipThreshold());
        } catch (PayloadFormatException e) {
            throw new KuraException(KuraErrorCode.ENCODE_ERROR, e, e.getMessage());
        }
        try {
            return Long.toString(outbox.add(topic, qos, retain, origin, bytes));
        } catch (IOException e) {
            throw new KuraException(KuraErrorCode.STORE_ERROR, e, e.getMessage());
        }
    }

    private void publishReply(String topic, KuraPayload payload) throws KuraException {
        publish(topic, 1, false, "", payload);
    }

    // ------------------------------------------------------------------ listeners

    public void addConnectionListener(CloudConnectionListener l) {
        connectionListeners.addIfAbsent(l);
    }

    public void removeConnectionListener(CloudConnectionListener l) {
        connectionListeners.remove(l);
    }

    public void addDeliveryListener(String origin, CloudDeliveryListener l) {
        deliveryListeners.computeIfAbsent(origin, k -> new CopyOnWriteArrayList<>()).addIfAbsent(l);
    }

    public void removeDeliveryListener(String origin, CloudDeliveryListener l) {
        CopyOnWriteArrayList<CloudDeliveryListener> list = deliveryListeners.get(origin);
        if (list != null) {
            list.remove(l);
        }
    }

    /** Messages on $EDC/{account}/{client-id}/{appId}/{appTopic} go to the listener (appTopic may hold wildcards). */
    public Object addSubscriber(String appId, String appTopic, int qos, CloudSubscriberListener listener) {
        SubscriberBinding b = new SubscriberBinding(KuraTopics.CONTROL_PREFIX + "/" + settings.accountName() + "/"
                + settings.clientId() + "/" + appId + (appTopic == null || appTopic.isEmpty() ? "" : "/" + appTopic),
                qos, listener);
        subscribers.add(b);
        return b;
    }

    public void removeSubscriber(Object binding) {
        subscribers.remove(binding);
    }

    // ------------------------------------------------------------------ RequestHandlerRegistry

    @Override
    public void registerRequestHandler(String id, RequestHandler handler) throws KuraException {
        try {
            KuraTopics.checkSegment(id);
        } catch (IllegalArgumentException e) {
            throw new KuraException(KuraErrorCode.INVALID_PARAMETER, "invalid request handler id '" + id + "'");
        }
        RequestHandler before = handlers.put(id, handler);
        LOG.info("Request handler {} registered", id);
        if (before == null) {
            appsChanged(); // application_ids changed
        }
    }

    @Override
    public void unregister(String id) throws KuraException {
        if (handlers.remove(id) != null) {
            LOG.info("Request handler {} unregistered", id);
            appsChanged();
        }
    }

    /**
     * A live connection tells the cloud with an APPS message (as Kura does);
     * a new connection clears the flag, since its birth certificate carries
     * the list (a change after the birth's payload was built sets it again).
     */
    private void appsChanged() {
        appsDue = true;
        synchronized (wakeup) {
            wakeup.notifyAll();
        }
    }

    // ------------------------------------------------------------------ sender thread

    private record InFlight(Outbox.Entry entry, IMqttDeliveryToken token, long sentNanos) {
    }

    private void runSender() {
        SenderState st = new SenderState();
        try {
            while (running) {
                try {
                    senderStep(st);
                } catch (RuntimeException e) {
                    // a bug must not end delivery: start over from a fresh connection
                    LOG.error("MQTT sender failed; reconnecting", e);
                    dropConnection();
                    pause(settings.reconnectMinDelayMillis());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            disconnectCleanly();
        }
    }

    /** Sender-thread state carried across steps. */
    private static final class SenderState {
        final ArrayDeque<InFlight> window = new ArrayDeque<>();
        long lastSent;
        long backoff;
        boolean failureLogged;
    }

    private void senderStep(SenderState st) throws InterruptedException {
        if (!settings.enabled()) {
            pause(1000);
            return;
        }
        MqttAsyncClient c = client;
        if (!connected || c == null) {
            st.window.clear();
            st.lastSent = 0; // resend everything not yet acknowledged
            try {
                connectOnce();
                st.backoff = settings.reconnectMinDelayMillis();
                st.failureLogged = false;
            } catch (MqttException | RuntimeException e) {
                if (!st.failureLogged) {
                    LOG.warn("Cannot connect to {} as {}: {}; retrying with back-off up to {} ms",
                            settings.brokerUrl(), settings.clientId(), describe(e), settings.reconnectMaxDelayMillis());
                    st.failureLogged = true;
                } else {
                    LOG.debug("Connect to {} failed again: {}", settings.brokerUrl(), describe(e));
                }
                st.backoff = Math.max(settings.reconnectMinDelayMillis(), st.backoff);
                pause(st.backoff);
                st.backoff = Math.min(settings.reconnectMaxDelayMillis(), st.backoff * 2);
            }
            return;
        }
        if (appsDue) {
            appsDue = false;
            try {
                publishLifecycle(c, KuraTopics.apps(settings.accountName(), settings.clientId()));
                appsPublished.incrementAndGet();
            } catch (MqttException e) {
                appsDue = true; // again after the reconnect, unless the birth certificate carries the list first
                LOG.debug("APPS message not sent: {}", describe(e));
            }
        }
        // retire acknowledged messages in order
        ArrayDeque<InFlight> window = st.window;
        while (!window.isEmpty() && window.peekFirst().token().isComplete()) {
            InFlight done = window.pollFirst();
            if (done.token().getException() != null) {
                LOG.warn("Publish of outbox message {} on {} failed: {}; reconnecting", done.entry().seq(),
                        done.entry().topic(), describe(done.token().getException()));
                dropConnection();
                return;
            }
            outbox.remove(done.entry().seq());
            published.incrementAndGet();
            confirm(done.entry());
        }
        if (!window.isEmpty() && System.nanoTime() - window.peekFirst().sentNanos() > TimeUnit.SECONDS.toNanos(30)) {
            LOG.warn("No acknowledgement for outbox message {} in 30 s; reconnecting", window.peekFirst().entry().seq());
            dropConnection();
            return;
        }
        if (window.size() >= settings.maxInflight()) {
            waitQuietly(window.peekFirst().token(), 100);
            return;
        }
        Outbox.Entry e = outbox.next(st.lastSent, window.isEmpty() ? 200 : 2, TimeUnit.MILLISECONDS);
        if (e == null) {
            return;
        }
        try {
            IMqttDeliveryToken token = c.publish(e.topic(), e.payload(), e.qos(), e.retain());
            window.addLast(new InFlight(e, token, System.nanoTime()));
            st.lastSent = e.seq();
        } catch (MqttException ex) {
            LOG.debug("Publish of {} failed: {}", e.seq(), describe(ex));
            if (!c.isConnected()) {
                dropConnection();
            } else {
                pause(50); // e.g. Paho's own in-flight limit reached
            }
        }
    }

    private void connectOnce() throws MqttException {
        MqttAsyncClient c = new MqttAsyncClient(settings.brokerUrl(), settings.clientId(), new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(false);
        o.setAutomaticReconnect(false); // the sender loop reconnects, resending from the outbox
        o.setKeepAliveInterval(settings.keepAliveSeconds());
        o.setConnectionTimeout(settings.connectTimeoutSeconds());
        o.setMaxInflight(settings.maxInflight() + 16);
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        if (!settings.username().isEmpty()) {
            o.setUserName(settings.username());
            o.setPassword(settings.password().toCharArray());
        }
        if (socketFactory != null) {
            o.setSocketFactory(socketFactory);
            o.setHttpsHostnameVerificationEnabled(settings.hostnameVerification());
        }
        o.setWill(KuraTopics.lastWill(settings.accountName(), settings.clientId()), KuraPayloadCodec.encode(statePayload()), 1, false);
        c.setCallback(new Callback(c));
        try {
            c.connect(o).waitForCompletion(settings.connectTimeoutSeconds() * 1000L + 2000);
            c.subscribe(KuraTopics.controlSubscription(settings.accountName(), settings.clientId()), 1)
                    .waitForCompletion(settings.connectTimeoutSeconds() * 1000L + 2000);
            client = c;
            appsDue = false; // the birth certificate carries the current application list
            publishLifecycle(c, KuraTopics.birth(settings.accountName(), settings.clientId()));
        } catch (MqttException | RuntimeException e) {
            client = null;
            closeClient(c);
            throw e;
        }
        connected = true;
        connects.incrementAndGet();
        LOG.info("Connected to {} as {}/{} ({} messages waiting in the outbox)", settings.brokerUrl(),
                settings.accountName(), settings.clientId(), outbox.size());
        for (CloudConnectionListener l : connectionListeners) {
            safely(l::onConnectionEstablished);
        }
    }

    private void publishLifecycle(MqttAsyncClient c, String topic) throws MqttException {
        byte[] birth = KuraPayloadCodec.encode(birthPayload());
        c.publish(topic, birth, 1, false).waitForCompletion(settings.connectTimeoutSeconds() * 1000L + 2000);
    }

    /**
     * The birth certificate (and APPS message): what the cloud learns about
     * this gateway. Metric names and string values as Kura's birth
     * certificate has them, so Kapua's device page fills in.
     */
    KuraPayload birthPayload() {
        DeviceProfile.Connection net = DeviceProfile.connection();
        KuraPayload p = new KuraPayload();
        p.setTimestamp(new Date());
        p.addMetric("uptime", Long.toString(System.currentTimeMillis() - startMillis));
        p.addMetric("display_name", settings.displayName());
        p.addMetric("model_name", device.modelName());
        p.addMetric("model_id", device.modelId());
        p.addMetric("serial_number", device.serialNumber());
        if (device.cpuVersion() != null) {
            p.addMetric("cpu_version", device.cpuVersion());
        }
        p.addMetric("os", System.getProperty("os.name", ""));
        p.addMetric("os_version", System.getProperty("os.version", ""));
        p.addMetric("os_arch", System.getProperty("os.arch", ""));
        p.addMetric("jvm_name", System.getProperty("java.vm.name", ""));
        p.addMetric("jvm_version", System.getProperty("java.vm.version", "") + " " + System.getProperty("java.vm.info", ""));
        p.addMetric("jvm_profile", System.getProperty("java.vendor", "") + " " + System.getProperty("java.version", ""));
        p.addMetric("jvm_vendor", System.getProperty("java.vm.vendor", ""));
        String jdkVendorVersion = System.getProperty("java.vendor.version");
        if (jdkVendorVersion != null) {
            p.addMetric("jdk_vendor_version", jdkVendorVersion);
        }
        p.addMetric("application_framework", "EdgeTune");
        p.addMetric("application_framework_version", frameworkVersion);
        p.addMetric("kura_version", frameworkVersion); // Kura sends its framework version under both names
        p.addMetric("osgi_framework", device.osgiFramework());
        p.addMetric("osgi_framework_version", device.osgiFrameworkVersion());
        p.addMetric("connection_interface", net.interfaces());
        p.addMetric("connection_ip", net.ip());
        p.addMetric("available_processors", Integer.toString(Runtime.getRuntime().availableProcessors()));
        p.addMetric("total_memory", Long.toString(Runtime.getRuntime().maxMemory() / 1024));
        p.addMetric("application_ids", String.join(",", new TreeSet<>(handlers.keySet())));
        p.addMetric("accept_encoding", "gzip");
        p.addMetric("payload_encoding", PAYLOAD_ENCODING);
        return p;
    }

    /** The birth certificate's payload_encoding for KuraPayload protobuf: the name of Kura's CloudPayloadEncoding constant. */
    static final String PAYLOAD_ENCODING = "KURA_PROTOBUF";

    private KuraPayload statePayload() {
        KuraPayload p = new KuraPayload();
        p.setTimestamp(new Date());
        p.addMetric("display_name", settings.displayName());
        p.addMetric("uptime", System.currentTimeMillis() - startMillis);
        return p;
    }

    private void confirm(Outbox.Entry e) {
        if (e.origin().isEmpty()) {
            return;
        }
        CopyOnWriteArrayList<CloudDeliveryListener> list = deliveryListeners.get(e.origin());
        if (list != null) {
            String id = Long.toString(e.seq());
            for (CloudDeliveryListener l : list) {
                safely(() -> l.onMessageConfirmed(id));
            }
        }
    }

    private void dropConnection() {
        MqttAsyncClient c;
        boolean wasConnected;
        synchronized (this) {
            c = client;
            wasConnected = connected;
            connected = false;
            client = null;
        }
        closeClient(c);
        if (wasConnected) {
            connectionLosses.incrementAndGet();
            for (CloudConnectionListener l : connectionListeners) {
                safely(l::onConnectionLost);
            }
        }
    }

    private void disconnectCleanly() {
        MqttAsyncClient c = client;
        boolean wasConnected = c != null && connected;
        if (wasConnected) {
            try {
                c.publish(KuraTopics.disconnect(settings.accountName(), settings.clientId()),
                        KuraPayloadCodec.encode(statePayload()), 1, false).waitForCompletion(2000);
                c.disconnect(1000).waitForCompletion(2000);
            } catch (MqttException e) {
                LOG.debug("Clean disconnect failed: {}", describe(e));
            }
        }
        connected = false;
        client = null;
        closeClient(c);
        if (wasConnected) {
            for (CloudConnectionListener l : connectionListeners) {
                safely(l::onDisconnected);
            }
            LOG.info("Disconnected from {}", settings.brokerUrl());
        }
    }

    private static void closeClient(MqttAsyncClient c) {
        if (c == null) {
            return;
        }
        try {
            if (c.isConnected()) {
                c.disconnectForcibly(0, 500, false);
            }
        } catch (MqttException | RuntimeException ignored) {
            // closing anyway
        }
        try {
            c.close(true);
        } catch (MqttException | RuntimeException ignored) {
            // nothing left to release
        }
    }

    private void pause(long millis) throws InterruptedException {
        synchronized (wakeup) {
            if (running) {
                wakeup.wait(millis);
            }
        }
    }

    private static void waitQuietly(IMqttToken token, long millis) {
        try {
            token.waitForCompletion(millis);
        } catch (MqttException ignored) {
            // timeout or failure: the caller looks at the token again
        }
    }

    private static void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.warn("Listener failed", e);
        }
    }

    static String describe(Throwable e) {
        String m = e.getMessage();
        Throwable cause = e.getCause();
        if (cause != null && cause.getMessage() != null && (m == null || !m.contains(cause.getMessage()))) {
            m = (m == null ? "" : m + ": ") + cause.getMessage();
        }
        return m == null ? e.getClass().getSimpleName() : m;
    }

    /** Paho callbacks of one client instance; stale instances are ignored. */
    private final class Callback implements MqttCallback {
        private final MqttAsyncClient owner;

        Callback(MqttAsyncClient owner) {
            this.owner = owner;
        }

        @Override
        public void connectionLost(Throwable cause) {
            if (owner != client) {
                return;
            }
            LOG.warn("Connection to {} lost: {}", settings.brokerUrl(), describe(cause));
            dropConnection();
            synchronized (wakeup) {
                wakeup.notifyAll();
            }
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            byte[] bytes = message.getPayload();
            try {
                incoming.execute(() -> dispatcher.dispatch(topic, bytes));
            } catch (RejectedExecutionException e) {
                incomingDropped.incrementAndGet();
                LOG.warn("Incoming message on {} dropped: {} requests already waiting", topic, incoming.getQueue().size());
            }
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
            // the sender thread polls its tokens
        }
    }

}

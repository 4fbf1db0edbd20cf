package io.edgetune.annotator.internal;

import io.edgetune.cloud.mqtt.codec.KuraPayloadCodec;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.eclipse.kura.cloudconnection.message.KuraMessage;
import org.eclipse.kura.message.KuraPayload;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The annotator's own MQTT client on the cloud side of the broker. A gateway's
 * CloudSubscriber only sees its own namespace; the annotator needs every
 * gateway's samples ({account}/+/EDGETUNE/samples/+) and, to deliver models,
 * requests into the gateways' control topics, as Kapua's back end would.
 * Connecting never blocks the caller: Paho connects and reconnects on its own
 * threads, and the subscription is renewed on every (re)connect.
 *
 * <p>Requests (model deliveries) go through a second, clean-session client
 * ({clientId}-requests) that carries nothing else. On the samples connection a
 * request's PUBACK and reply would queue behind the samples the annotator has
 * not taken yet, and Moquette 0.17 silently drops a PUBACK when that
 * connection is backed up, which left a publish waiting for it forever.
 */
public final class CloudLink implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CloudLink.class);
    private static final long REQUEST_CLIENT_WAIT_MS = 30_000;

    /** Where and how to connect. */
    public record Settings(String brokerUrl, String clientId, String account, String username, char[] password,
                           int maxPayloadBytes) {
    }

    private final Settings settings;
    private final MqttClient client;
    private final MqttClient requests;
    private final Consumer<KuraMessage> samples;
    private final String samplesFilter;
    final AtomicLong received = new AtomicLong();
    final AtomicLong undecodable = new AtomicLong();
    private volatile boolean closed;

    public CloudLink(Settings settings, Consumer<KuraMessage> samples) throws MqttException {
        this.settings = settings;
        this.samples = samples;
        this.samplesFilter = settings.account() + "/+/EDGETUNE/samples/+";
        this.client = new MqttClient(settings.brokerUrl(), settings.clientId(), new MemoryPersistence());
        this.requests = new MqttClient(settings.brokerUrl(), settings.clientId() + "-requests", new MemoryPersistence());
        // no blocking call on the request client may wait forever (subscribe waits for its SUBACK)
        requests.setTimeToWait(REQUEST_CLIENT_WAIT_MS);
        client.setCallback(new MqttCallbackExtended() {
            @Override
            public void connectComplete(boolean reconnect, String serverUri) {
                subscribe(reconnect);
            }

            @Override
            public void connectionLost(Throwable cause) {
                LOG.warn("annotator lost the broker {}: {} (reconnecting)", settings.brokerUrl(), String.valueOf(cause));
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                onSample(topic, message.getPayload());
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
                // requests are QoS 1; the sender follows its own replies
            }
        });
    }

    /** Starts connecting on its own thread (returns at once; retried until the broker answers). */
    public void start() {
        MqttConnectOptions o = new MqttConnectOptions();
        // a persistent session: samples published while the annotator restarts wait at the broker
        o.setCleanSession(false);
        o.setAutomaticReconnect(true);
        o.setKeepAliveInterval(30);
        o.setMaxInflight(64);
        if (settings.username() != null && !settings.username().isEmpty()) {
            o.setUserName(settings.username());
            o.setPassword(settings.password() == null ? new char[0] : settings.password());
        }
        MqttConnectOptions r = new MqttConnectOptions();
        // replies to a request are of no use after a restart: nothing to keep at the broker
        r.setCleanSession(true);
        r.setAutomaticReconnect(true);
        r.setKeepAliveInterval(30);
        r.setMaxInflight(64);
        if (o.getUserName() != null) {
            r.setUserName(o.getUserName());
            r.setPassword(o.getPassword());
        }
        Thread t = new Thread(() -> {
            // automatic reconnect only covers a connection that once succeeded; the first one is retried here
            int attempt = 0;
            while (!closed && !(client.isConnected() && requests.isConnected())) {
                try {
                    if (!client.isConnected()) {
                        client.connect(o);
                    }
                    if (!requests.isConnected()) {
                        requests.connect(r);
                    }
                } catch (MqttException e) {
                    if (attempt++ % 15 == 0) {
                        LOG.warn("annotator cannot reach the broker {} yet: {}; retrying every 2 s", settings.brokerUrl(), e.toString());
                    }
                    try {
                        Thread.sleep(2000);
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
            }
        }, "edgetune-annotator-connect");
        t.setDaemon(true);
        t.start();
    }

    private void subscribe(boolean reconnect) {
        try {
            client.subscribe(samplesFilter, 1);
            LOG.info("annotator {} to {}: receiving {}", reconnect ? "reconnected" : "connected", settings.brokerUrl(), samplesFilter);
        } catch (MqttException e) {
            LOG.warn("subscription to {} failed: {}", samplesFilter, e.toString());
        }
    }

    void onSample(String topic, byte[] payload) {
        received.incrementAndGet();
        String[] levels = topic.split("/");
        if (levels.length != 5) {
            undecodable.incrementAndGet();
            LOG.warn("sample on an unexpected topic ignored: {}", topic);
            return;
        }
        KuraPayload p;
        try {
            p = KuraPayloadCodec.decode(payload, settings.maxPayloadBytes());
        } catch (RuntimeException e) {
            undecodable.incrementAndGet();
            LOG.warn("sample on {} is not a KuraPayload: {}", topic, e.getMessage());
            return;
        }
        Map<String, Object> props = new HashMap<>();
        props.put(SampleIngest.GATEWAY_PROPERTY, levels[1]);
        props.put("topic", topic);
        samples.accept(new KuraMessage(p, props));
    }

    /** The request client, for senders that publish requests and follow their replies (not the samples client). */
    public MqttClient client() {
        return requests;
    }

    /** Messages received on the samples subscription, and those refused as undecodable. */
    public String counters() {
        return "received " + received.get() + ", undecodable " + undecodable.get();
    }

    public Settings settings() {
        return settings;
    }

    public boolean connected() {
        return client.isConnected() && requests.isConnected();
    }

    @Override
    public void close() {
        closed = true;
        for (MqttClient c : new MqttClient[] {requests, client}) {
            try {
                if (c.isConnected()) {
                    c.disconnect(2000);
                }
            } catch (MqttException e) {
                LOG.debug("disconnect {}: {}", c.getClientId(), e.toString());
            }
            try {
                c.close(true);
            } catch (MqttException e) {
                LOG.debug("close {}: {}", c.getClientId(), e.toString());
            }
        }
    }
}

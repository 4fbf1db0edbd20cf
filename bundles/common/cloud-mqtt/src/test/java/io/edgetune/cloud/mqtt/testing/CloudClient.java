package io.edgetune.cloud.mqtt.testing;

import io.edgetune.cloud.mqtt.codec.KuraPayloadCodec;
import io.edgetune.cloud.mqtt.codec.KuraTopics;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.eclipse.kura.message.KuraPayload;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** A plain Paho client playing the cloud side: records what arrives, sends requests. */
public final class CloudClient implements AutoCloseable {

    /** One received message. */
    public record Received(String topic, byte[] bytes) {
        public KuraPayload payload() {
            return KuraPayloadCodec.decode(bytes);
        }
    }

    private final MqttClient client;
    private final MqttConnectOptions options;
    private final LinkedBlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final List<String> filters = new java.util.concurrent.CopyOnWriteArrayList<>();

    public CloudClient(String url, String clientId) throws MqttException {
        client = new MqttClient(url, clientId, new MemoryPersistence());
        options = new MqttConnectOptions();
        options.setCleanSession(false); // the broker queues for us across its own restarts
        options.setAutomaticReconnect(true);
        options.setMaxReconnectDelay(500);
        options.setMaxInflight(1000);
        client.setCallback(new MqttCallbackExtended() {
            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
                if (reconnect) {
                    // the broker may have lost the session: subscribe again (not on Paho's callback thread)
                    new Thread(() -> {
                        for (String f : filters) {
                            try {
                                client.subscribe(f, 1);
                            } catch (MqttException ignored) {
                                // next reconnect tries again
                            }
                        }
                    }, "cloud-client-resubscribe").start();
                }
            }

            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                received.add(new Received(topic, message.getPayload()));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        client.connect(options);
    }

    /** Subscribes with QoS 1; retried across a reconnect (Moquette 0.17 sometimes drops a fresh connection). */
    public CloudClient subscribe(String filter) throws MqttException {
        retrying(() -> client.subscribe(filter, 1));
        filters.add(filter);
        return this;
    }

    private interface MqttAction {
        void run() throws MqttException;
    }

    private void retrying(MqttAction action) throws MqttException {
        for (int attempt = 1; ; attempt++) {
            try {
                action.run();
                return;
            } catch (MqttException e) {
                if (attempt >= 5) {
                    throw e;
                }
                try {
                    awaitConnected(10);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    public boolean isConnected() {
        return client.isConnected();
    }

    /** Waits until connected again (Paho's automatic reconnect after a broker restart). */
    public void awaitConnected(long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!client.isConnected() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        if (!client.isConnected()) {
            throw new AssertionError("cloud client did not reconnect within " + seconds + " s");
        }
    }

    public void publish(String topic, byte[] payload) throws MqttException {
        retrying(() -> client.publish(topic, payload, 1, false));
    }

    public void publish(String topic, KuraPayload payload) throws MqttException {
        publish(topic, KuraPayloadCodec.encode(payload));
    }

    /** The next message whose topic satisfies the predicate (others are discarded), or an AssertionError. */
    public Received await(Predicate<String> topic, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            long left = deadline - System.nanoTime();
            Received r = left > 0 ? received.poll(left, TimeUnit.NANOSECONDS) : null;
            if (r == null) {
                throw new AssertionError("no matching message within " + seconds + " s (subscribed to " + filters + ")");
            }
            if (topic.test(r.topic())) {
                return r;
            }
        }
    }

    /** Collects messages matching the predicate until {@code count} arrived or the time is up. */
    public List<Received> collect(Predicate<String> topic, int count, long seconds) throws InterruptedException {
        List<Received> out = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (out.size() < count) {
            long left = deadline - System.nanoTime();
            Received r = left > 0 ? received.poll(left, TimeUnit.NANOSECONDS) : null;
            if (r == null) {
                break;
            }
            if (topic.test(r.topic())) {
                out.add(r);
            }
        }
        return out;
    }

    /** Sends a request and returns the reply payload (waits up to 30 s). */
    public KuraPayload request(String account, String gatewayId, String appId, KuraTopics.Verb verb, String requestId,
                               KuraPayload request, String... resources) throws Exception {
        return request(30, account, gatewayId, appId, verb, requestId, request, resources);
    }

    /** Sends a request and returns the reply payload, or throws AssertionError after the timeout. */
    public KuraPayload request(long timeoutSeconds, String account, String gatewayId, String appId, KuraTopics.Verb verb,
                               String requestId, KuraPayload request, String... resources) throws Exception {
        request.addMetric(KuraTopics.REQUEST_ID, requestId);
        request.addMetric(KuraTopics.REQUESTER_CLIENT_ID, client.getClientId());
        String replyTopic = KuraTopics.reply(account, client.getClientId(), appId, requestId);
        publish(KuraTopics.request(account, gatewayId, appId, verb, resources), request);
        return await(replyTopic::equals, timeoutSeconds).payload();
    }

    public String clientId() {
        return client.getClientId();
    }

    public void drain() {
        received.clear();
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnect(1000);
        }
        client.close(true);
    }
}

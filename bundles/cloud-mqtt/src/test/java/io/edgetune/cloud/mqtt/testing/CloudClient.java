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
import org.eclipse.paho.client.mqttv3.MqttCallback;
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
    private final List<String> filters = new ArrayList<>();

    public CloudClient(String url, String clientId) throws MqttException {
        client = new MqttClient(url, clientId, new MemoryPersistence());
        options = new MqttConnectOptions();
        options.setCleanSession(false); // the broker queues for us across its own restarts
        options.setAutomaticReconnect(true);
        options.setMaxReconnectDelay(500);
        options.setMaxInflight(1000);
        client.setCallback(new MqttCallback() {
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

    public CloudClient subscribe(String filter) throws MqttException {
        client.subscribe(filter, 1);
        filters.add(filter);
        return this;
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
        client.publish(topic, payload, 1, false);
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

    /** Sends a request and returns the reply payload. */
    public KuraPayload request(String account, String gatewayId, String appId, KuraTopics.Verb verb, String requestId,
                               KuraPayload request, String... resources) throws Exception {
        request.addMetric(KuraTopics.REQUEST_ID, requestId);
        request.addMetric(KuraTopics.REQUESTER_CLIENT_ID, client.getClientId());
        String replyTopic = KuraTopics.reply(account, client.getClientId(), appId, requestId);
        publish(KuraTopics.request(account, gatewayId, appId, verb, resources), request);
        return await(replyTopic::equals, 30).payload();
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

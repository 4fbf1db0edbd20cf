package io.edgetune.broker;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.edgetune.api.config.TypedConfig;
import io.edgetune.broker.internal.BrokerComponent;
import io.edgetune.broker.internal.BrokerSettings;
import io.edgetune.broker.internal.EmbeddedBroker;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class EmbeddedBrokerTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static MqttClient client(int port, String id) throws Exception {
        MqttClient c = new MqttClient("tcp://127.0.0.1:" + port, id, new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(false);
        c.connect(o);
        return c;
    }

    /** The settings the component would read from this configuration. */
    static BrokerSettings settings(Map<String, ?> properties) {
        return BrokerSettings.from(TypedConfig.of(BrokerComponent.Config.class, properties));
    }

    @Test
    public void defaultsAreLoopbackStandardPortNoWebsocket() {
        BrokerSettings s = settings(Map.of());
        assertEquals("127.0.0.1", s.host());
        assertEquals(1883, s.port());
        assertTrue(!s.websocketEnabled());
        assertTrue(s.enabled());
        assertTrue(s.persistenceEnabled());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> settings(Map.of("port", "70000")));
        assertTrue(e.getMessage(), e.getMessage().contains("port"));
    }

    private EmbeddedBroker startBroker(int port) throws Exception {
        Map<String, Object> cfg = new HashMap<>();
        cfg.put("port", port);
        EmbeddedBroker broker = new EmbeddedBroker(settings(cfg), tmp.newFolder("data").toPath());
        broker.start();
        return broker;
    }

    /** What `mosquitto_sub -t '#'` does: clean session, no client id. */
    @Test
    public void aCleanSessionClientWithoutIdMayConnect() throws Exception {
        int port = freePort();
        EmbeddedBroker broker = startBroker(port);
        try {
            MqttClient anonymous = new MqttClient("tcp://127.0.0.1:" + port, "", new MemoryPersistence());
            MqttConnectOptions o = new MqttConnectOptions();
            o.setCleanSession(true);
            anonymous.connect(o);
            assertTrue(anonymous.isConnected());
            anonymous.disconnect();
            anonymous.close();
        } finally {
            broker.stop();
        }
    }

    @Test
    public void queuedMessagesOfPersistentSessionsSurviveARestart() throws Exception {
        int port = freePort();
        EmbeddedBroker broker = startBroker(port);
        try {
            MqttClient subscriber = client(port, "sub");
            subscriber.subscribe("t/#", 1);
            subscriber.disconnect();
            subscriber.close();

            MqttClient publisher = client(port, "pub");
            for (int i = 0; i < 10; i++) {
                publisher.publish("t/" + i, ("m" + i).getBytes(StandardCharsets.UTF_8), 1, false);
            }
            publisher.disconnect();
            publisher.close();

            broker.stop();
            broker.start();

            LinkedBlockingQueue<String> got = new LinkedBlockingQueue<>();
            MqttClient again = new MqttClient("tcp://127.0.0.1:" + port, "sub", new MemoryPersistence());
            again.setCallback(new org.eclipse.paho.client.mqttv3.MqttCallback() {
                @Override
                public void connectionLost(Throwable cause) {
                }

                @Override
                public void messageArrived(String topic, org.eclipse.paho.client.mqttv3.MqttMessage message) {
                    got.add(new String(message.getPayload(), StandardCharsets.UTF_8));
                }

                @Override
                public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) {
                }
            });
            MqttConnectOptions o = new MqttConnectOptions();
            o.setCleanSession(false);
            again.connect(o);
            for (int i = 0; i < 10; i++) {
                String m = got.poll(30, TimeUnit.SECONDS);
                assertNotNull("message " + i + " after the restart", m);
                assertEquals("m" + i, m);
            }
            assertEquals(1, broker.connectedClients());
            again.disconnect();
            again.close();
        } finally {
            broker.stop();
        }
    }
}

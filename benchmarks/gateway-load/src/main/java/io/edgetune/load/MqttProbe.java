package io.edgetune.load;

import io.edgetune.cloud.mqtt.codec.KuraPayloadCodec;
import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.kura.message.KuraPayload;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * The broker the gateway publishes to (Moquette, loopback, in this JVM) and a
 * Paho subscriber that keeps the gateway's status messages and the latency
 * of every detection message.
 */
final class MqttProbe implements AutoCloseable {

    /** A status message: when it arrived and its metrics. */
    record Status(long receivedMillis, long timestampMillis, Map<String, Object> metrics) {
        long longMetric(String name) {
            Object v = metrics.get(name);
            return v instanceof Number n ? n.longValue() : -1;
        }
    }

    /** A detection message of one frame: camera, arrival and grab-to-arrival latency. */
    record Arrival(String camera, long receivedMillis, long latencyMillis) {
    }

    static {
        // Moquette logs every packet at INFO
        if (System.getProperty("org.slf4j.simpleLogger.log.io.moquette") == null) {
            System.setProperty("org.slf4j.simpleLogger.log.io.moquette", "warn");
        }
    }

    private static final Pattern TS = Pattern.compile("\"ts\":(\\d+)");

    private final Server broker = new Server();
    private final int port;
    private final MqttClient client;
    private final List<Status> statuses = new ArrayList<>();
    private final List<Arrival> arrivals = new ArrayList<>();
    private long undecodable;

    MqttProbe() throws IOException {
        port = freePort();
        Properties p = new Properties();
        p.setProperty("host", "127.0.0.1");
        p.setProperty("port", Integer.toString(port));
        p.setProperty("websocket_port", "disabled");
        p.setProperty("allow_anonymous", "true");
        p.setProperty("allow_zero_byte_client_id", "true");
        p.setProperty("persistence_enabled", "false");
        p.setProperty("telemetry_enabled", "false");
        p.setProperty("use_bugsnag", "false");
        p.setProperty("use_metrics", "false");
        p.setProperty("netty.epoll", "false");
        broker.startServer(new MemoryConfig(p));
        try {
            client = new MqttClient("tcp://127.0.0.1:" + port, "edgetune-load-probe", new MemoryPersistence());
            MqttConnectOptions o = new MqttConnectOptions();
            o.setCleanSession(true);
            o.setAutomaticReconnect(true);
            client.connect(o);
            client.subscribe("+/+/EDGETUNE/#", 1, this::onMessage);
        } catch (MqttException e) {
            broker.stopServer();
            throw new IOException("cannot subscribe to the load probe's broker on port " + port + ": " + e.getMessage(), e);
        }
    }

    int port() {
        return port;
    }

    private void onMessage(String topic, MqttMessage message) {
        long now = System.currentTimeMillis();
        String[] levels = topic.split("/");
        KuraPayload payload;
        try {
            payload = KuraPayloadCodec.decode(message.getPayload());
        } catch (RuntimeException e) {
            synchronized (this) {
                undecodable++;
            }
            return;
        }
        if (levels.length == 4 && "status".equals(levels[3])) {
            long ts = payload.getTimestamp() == null ? now : payload.getTimestamp().getTime();
            synchronized (this) {
                statuses.add(new Status(now, ts, Map.copyOf(payload.metrics())));
                notifyAll();
            }
        } else if (levels.length == 5 && "detections".equals(levels[3]) && "frame".equals(payload.getMetric("type"))) {
            byte[] body = payload.getBody();
            Matcher m = body == null ? null : TS.matcher(new String(body, StandardCharsets.UTF_8));
            if (m != null && m.find()) {
                long latency = now - Long.parseLong(m.group(1));
                synchronized (this) {
                    arrivals.add(new Arrival(levels[4], now, latency));
                }
            }
        }
    }

    synchronized List<Status> statuses() {
        return new ArrayList<>(statuses);
    }

    synchronized Status lastStatus() {
        return statuses.isEmpty() ? null : statuses.get(statuses.size() - 1);
    }

    /** The first status that arrives after {@code afterMillis}, waiting at most {@code timeoutMillis}; null if none came. */
    synchronized Status nextStatus(long afterMillis, long timeoutMillis) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMillis;
        while (true) {
            for (int i = statuses.size() - 1; i >= 0 && statuses.get(i).receivedMillis() > afterMillis; i--) {
                if (i == 0 || statuses.get(i - 1).receivedMillis() <= afterMillis) {
                    return statuses.get(i);
                }
            }
            long left = end - System.currentTimeMillis();
            if (left <= 0) {
                return null;
            }
            wait(left);
        }
    }

    /** Detection messages of a camera (null: any) that arrived in [from, to). */
    synchronized List<Arrival> arrivals(String camera, long fromMillis, long toMillis) {
        List<Arrival> out = new ArrayList<>();
        for (Arrival a : arrivals) {
            if ((camera == null || a.camera().equals(camera)) && a.receivedMillis() >= fromMillis && a.receivedMillis() < toMillis) {
                out.add(a);
            }
        }
        return out;
    }

    synchronized long undecodable() {
        return undecodable;
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect(1000);
            }
            client.close();
        } catch (MqttException e) {
            // the broker goes away right after
        }
        broker.stopServer();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}

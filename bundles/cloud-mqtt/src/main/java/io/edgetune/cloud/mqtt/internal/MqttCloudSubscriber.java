package io.edgetune.cloud.mqtt.internal;

import io.edgetune.cloud.mqtt.codec.KuraTopics;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.kura.cloudconnection.subscriber.CloudSubscriber;
import org.eclipse.kura.cloudconnection.subscriber.listener.CloudSubscriberListener;

/**
 * Receives cloud-to-device messages on $EDC/{account}/{client-id}/{app.id}/{app.topic};
 * app.topic may use the MQTT wildcards + and #.
 */
public class MqttCloudSubscriber extends ConnectionUser implements CloudSubscriber {

    public record Settings(String appId, String appTopic, int qos) {

        public Settings {
            KuraTopics.checkSegment(appId);
        }

        public static Settings from(Map<String, ?> p) {
            return new Settings(ConnectionSettings.str(p, "app.id", "EDGETUNE").trim(),
                    ConnectionSettings.str(p, "app.topic", "#").trim(), ConnectionSettings.integer(p, "qos", 1));
        }
    }

    private final Settings settings;
    private final Map<CloudSubscriberListener, Object> bindings = new ConcurrentHashMap<>();

    public MqttCloudSubscriber(MqttCloudConnection connection, Settings settings) {
        super(connection);
        this.settings = settings;
    }

    @Override
    public void registerCloudSubscriberListener(CloudSubscriberListener listener) {
        bindings.computeIfAbsent(listener, l -> connection.addSubscriber(settings.appId(), settings.appTopic(), settings.qos(), l));
    }

    @Override
    public void unregisterCloudSubscriberListener(CloudSubscriberListener listener) {
        Object b = bindings.remove(listener);
        if (b != null) {
            connection.removeSubscriber(b);
        }
    }

    /** Drops every listener binding (component deactivation). */
    public void close() {
        bindings.values().forEach(connection::removeSubscriber);
        bindings.clear();
    }
}

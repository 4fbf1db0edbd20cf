package io.edgetune.cloud.mqtt.internal;

import io.edgetune.api.config.ConfigValues;
import io.edgetune.api.config.TypedConfig;
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
            ConfigValues.oneOf("qos", qos, 0, 1, 2);
        }

        /** Settings from the typed configuration, which declares every key and default. */
        public static Settings from(SubscriberComponent.Config c) {
            return new Settings(c.app_id() == null ? "" : c.app_id().trim(), c.app_topic() == null ? "" : c.app_topic().trim(), c.qos());
        }

        /** Settings for a configuration given as properties (tests, code outside SCR), read through the same typed configuration. */
        public static Settings from(Map<String, ?> properties) {
            return from(TypedConfig.of(SubscriberComponent.Config.class, properties));
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

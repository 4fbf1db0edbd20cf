package io.edgetune.cloud.mqtt.internal;

import io.edgetune.api.config.ConfigValues;
import io.edgetune.api.config.TypedConfig;
import io.edgetune.cloud.mqtt.codec.KuraTopics;
import java.util.Map;
import org.eclipse.kura.KuraErrorCode;
import org.eclipse.kura.KuraException;
import org.eclipse.kura.cloudconnection.listener.CloudDeliveryListener;
import org.eclipse.kura.cloudconnection.message.KuraMessage;
import org.eclipse.kura.cloudconnection.publisher.CloudPublisher;

/**
 * Publishes on {account}/{client-id}/{app.id}/{app.topic} (or the $EDC
 * control equivalent). Levels of app.topic written as {@code $name} are
 * replaced by the message property {@code name}, e.g. {@code detections/$camera.id}.
 */
public class MqttCloudPublisher extends ConnectionUser implements CloudPublisher {

    /** Publisher configuration, checked. */
    public record Settings(String appId, String appTopic, int qos, boolean retain, int priority, boolean control,
                           String origin) {

        public Settings {
            KuraTopics.checkSegment(appId);
            ConfigValues.oneOf("qos", qos, 0, 1, 2);
            if (appTopic != null && (appTopic.contains("+") || appTopic.contains("#") || appTopic.startsWith("/")
                    || appTopic.endsWith("/") || appTopic.contains("//"))) {
                throw new IllegalArgumentException("app.topic '" + appTopic + "' must be levels separated by single '/', without wildcards");
            }
        }

        /**
         * Settings from the typed configuration. The publisher's name (the
         * origin of its messages) is its kura.service.pid, else
         * {@code servicePid}, ConfigAdmin's PID of the instance.
         */
        public static Settings from(PublisherComponent.Config c, String servicePid) {
            String type = c.message_type() == null ? "" : c.message_type().trim();
            if (!type.equals("data") && !type.equals("control")) {
                throw new IllegalArgumentException("message.type must be data or control, not '" + type + "'");
            }
            String pid = c.kura_service_pid() != null ? c.kura_service_pid() : servicePid;
            return new Settings(trimmed(c.app_id()), trimmed(c.app_topic()), c.qos(), c.retain(), c.priority(),
                    type.equals("control"), pid == null ? "" : pid);
        }

        /** Settings for a configuration given as properties (tests, code outside SCR), read through the same typed configuration. */
        public static Settings from(Map<String, ?> properties) {
            return from(TypedConfig.of(PublisherComponent.Config.class, properties),
                    TypedConfig.of(PublisherComponent.Identity.class, properties).service_pid());
        }
    }

    private static String trimmed(String v) {
        return v == null ? "" : v.trim();
    }

    private final Settings settings;

    public MqttCloudPublisher(MqttCloudConnection connection, Settings settings) {
        super(connection);
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    @Override
    public String publish(KuraMessage message) throws KuraException {
        if (message == null || message.getPayload() == null) {
            throw new KuraException(KuraErrorCode.INVALID_PARAMETER, "message and payload must not be null");
        }
        String topic = topicFor(message.getProperties());
        return connection.publish(topic, settings.qos(), settings.retain(), settings.origin(), message.getPayload());
    }

    /** The full topic for a message with these properties. */
    public String topicFor(Map<String, Object> properties) throws KuraException {
        ConnectionSettings cs = connection.settings();
        String appTopic = resolve(settings.appTopic(), properties);
        return settings.control()
                ? KuraTopics.control(cs.accountName(), cs.clientId(), settings.appId(), appTopic)
                : KuraTopics.data(cs.accountName(), cs.clientId(), settings.appId(), appTopic);
    }

    static String resolve(String appTopic, Map<String, Object> properties) throws KuraException {
        if (appTopic == null || appTopic.indexOf('$') < 0) {
            return appTopic;
        }
        StringBuilder sb = new StringBuilder();
        for (String level : appTopic.split("/")) {
            if (sb.length() > 0) {
                sb.append('/');
            }
            if (level.startsWith("$") && level.length() > 1) {
                Object v = properties == null ? null : properties.get(level.substring(1));
                if (v == null) {
                    throw new KuraException(KuraErrorCode.INVALID_PARAMETER,
                            "app.topic needs message property '" + level.substring(1) + "'");
                }
                try {
                    KuraTopics.checkSegment(v.toString());
                } catch (IllegalArgumentException e) {
                    throw new KuraException(KuraErrorCode.INVALID_PARAMETER,
                            "message property '" + level.substring(1) + "' is not a valid topic level: " + e.getMessage());
                }
                sb.append(v);
            } else {
                sb.append(level);
            }
        }
        return sb.toString();
    }

    @Override
    public void registerCloudDeliveryListener(CloudDeliveryListener l) {
        connection.addDeliveryListener(settings.origin(), l);
    }

    @Override
    public void unregisterCloudDeliveryListener(CloudDeliveryListener l) {
        connection.removeDeliveryListener(settings.origin(), l);
    }
}

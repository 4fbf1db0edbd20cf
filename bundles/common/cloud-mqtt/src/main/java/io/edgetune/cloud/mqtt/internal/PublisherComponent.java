package io.edgetune.cloud.mqtt.internal;

import org.eclipse.kura.KuraException;
import org.eclipse.kura.cloudconnection.listener.CloudConnectionListener;
import org.eclipse.kura.cloudconnection.listener.CloudDeliveryListener;
import org.eclipse.kura.cloudconnection.message.KuraMessage;
import org.eclipse.kura.cloudconnection.publisher.CloudPublisher;
import org.eclipse.kura.configuration.ConfigurableComponent;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * One configured publisher (factory PID). Its configuration's
 * {@code kura.service.pid} becomes a service property, so consumers select it
 * with {@code CloudPublisher.target = (kura.service.pid=...)} as on Kura.
 */
@Designate(ocd = PublisherComponent.Config.class, factory = true)
@Component(name = PublisherComponent.PID, configurationPid = PublisherComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, service = {CloudPublisher.class, ConfigurableComponent.class})
public class PublisherComponent implements CloudPublisher, ConfigurableComponent {

    public static final String PID = "io.edgetune.cloud.mqtt.Publisher";

    @ObjectClassDefinition(id = PID, name = "EdgeTune MQTT publisher",
            description = "Publishes on {account}/{client-id}/{app.id}/{app.topic}; $name levels are filled from message properties.")
    public @interface Config {
        @AttributeDefinition(name = "Publisher PID", description = "Name consumers use in CloudPublisher.target, e.g. edgetune-detections.")
        String kura_service_pid();

        @AttributeDefinition(name = "Application id")
        String app_id() default "EDGETUNE";

        @AttributeDefinition(name = "Application topic", description = "Levels after the app id, e.g. detections/$camera.id.", required = false)
        String app_topic() default "";

        @AttributeDefinition(name = "QoS", options = {@Option(value = "0"), @Option(value = "1"), @Option(value = "2")})
        int qos() default 1;

        @AttributeDefinition(name = "Retain")
        boolean retain() default false;

        @AttributeDefinition(name = "Priority", description = "Accepted for Kura compatibility; the outbox is strictly first in, first out.", min = "0")
        int priority() default 7;

        @AttributeDefinition(name = "Message type", options = {@Option(value = "data"), @Option(value = "control")})
        String message_type() default "data";
    }

    /**
     * Not configuration (no MetaType): ConfigAdmin's PID of this factory
     * instance, the publisher's name when its configuration has no
     * kura.service.pid. Read as a second component property type so that the
     * component never reads its raw property map.
     */
    @interface Identity {
        String service_pid();
    }

    @Reference
    private MqttEndpoint endpoint;

    private volatile MqttCloudPublisher delegate;

    @Activate
    void activate(Config config, Identity identity) {
        // settings first: a rejected configuration leaves the component without a delegate
        MqttCloudPublisher.Settings settings = MqttCloudPublisher.Settings.from(config, identity.service_pid());
        delegate = new MqttCloudPublisher(endpoint.connection(), settings);
    }

    @Deactivate
    void deactivate() {
        delegate = null;
    }

    private MqttCloudPublisher delegate() {
        MqttCloudPublisher d = delegate;
        if (d == null) {
            throw new IllegalStateException("publisher is not active");
        }
        return d;
    }

    @Override
    public String publish(KuraMessage message) throws KuraException {
        return delegate().publish(message);
    }

    @Override
    public void registerCloudConnectionListener(CloudConnectionListener l) {
        delegate().registerCloudConnectionListener(l);
    }

    @Override
    public void unregisterCloudConnectionListener(CloudConnectionListener l) {
        MqttCloudPublisher d = delegate;
        if (d != null) {
            d.unregisterCloudConnectionListener(l);
        }
    }

    @Override
    public void registerCloudDeliveryListener(CloudDeliveryListener l) {
        delegate().registerCloudDeliveryListener(l);
    }

    @Override
    public void unregisterCloudDeliveryListener(CloudDeliveryListener l) {
        MqttCloudPublisher d = delegate;
        if (d != null) {
            d.unregisterCloudDeliveryListener(l);
        }
    }
}

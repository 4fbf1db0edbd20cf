package io.edgetune.cloud.mqtt.internal;

import org.eclipse.kura.cloudconnection.listener.CloudConnectionListener;
import org.eclipse.kura.cloudconnection.subscriber.CloudSubscriber;
import org.eclipse.kura.cloudconnection.subscriber.listener.CloudSubscriberListener;
import org.eclipse.kura.configuration.ConfigurableComponent;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** One configured subscriber (factory PID) for cloud-to-device messages on the control topics. */
@Designate(ocd = SubscriberComponent.Config.class, factory = true)
@Component(name = SubscriberComponent.PID, configurationPid = SubscriberComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, service = {CloudSubscriber.class, ConfigurableComponent.class})
public class SubscriberComponent implements CloudSubscriber, ConfigurableComponent {

    public static final String PID = "io.edgetune.cloud.mqtt.Subscriber";

    @ObjectClassDefinition(id = PID, name = "EdgeTune MQTT subscriber",
            description = "Receives messages on $EDC/{account}/{client-id}/{app.id}/{app.topic}.")
    public @interface Config {
        @AttributeDefinition(name = "Subscriber PID", description = "Name consumers use in CloudSubscriber.target.")
        String kura_service_pid();

        @AttributeDefinition(name = "Application id")
        String app_id() default "EDGETUNE";

        @AttributeDefinition(name = "Application topic", description = "May use + and # wildcards.")
        String app_topic() default "#";

        @AttributeDefinition(name = "QoS")
        int qos() default 1;
    }

    @Reference
    private MqttEndpoint endpoint;

    private volatile MqttCloudSubscriber delegate;

    @Activate
    void activate(Config config) {
        // settings first: a rejected configuration leaves the component without a delegate
        MqttCloudSubscriber.Settings settings = MqttCloudSubscriber.Settings.from(config);
        delegate = new MqttCloudSubscriber(endpoint.connection(), settings);
    }

    @Deactivate
    void deactivate() {
        MqttCloudSubscriber d = delegate;
        delegate = null;
        if (d != null) {
            d.close();
        }
    }

    @Override
    public void registerCloudSubscriberListener(CloudSubscriberListener listener) {
        MqttCloudSubscriber d = delegate;
        if (d == null) {
            throw new IllegalStateException("subscriber is not active");
        }
        d.registerCloudSubscriberListener(listener);
    }

    @Override
    public void unregisterCloudSubscriberListener(CloudSubscriberListener listener) {
        MqttCloudSubscriber d = delegate;
        if (d != null) {
            d.unregisterCloudSubscriberListener(listener);
        }
    }

    @Override
    public void registerCloudConnectionListener(CloudConnectionListener l) {
        MqttCloudSubscriber d = delegate;
        if (d == null) {
            throw new IllegalStateException("subscriber is not active");
        }
        d.registerCloudConnectionListener(l);
    }

    @Override
    public void unregisterCloudConnectionListener(CloudConnectionListener l) {
        MqttCloudSubscriber d = delegate;
        if (d != null) {
            d.unregisterCloudConnectionListener(l);
        }
    }
}

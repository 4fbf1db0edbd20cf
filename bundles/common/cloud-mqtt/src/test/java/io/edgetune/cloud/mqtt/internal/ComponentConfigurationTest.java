package io.edgetune.cloud.mqtt.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.edgetune.api.config.TypedConfig;
import java.util.Map;
import org.eclipse.kura.cloudconnection.message.KuraMessage;
import org.eclipse.kura.message.KuraPayload;
import org.junit.Test;

/**
 * The connection, publisher and subscriber components refuse a malformed
 * configuration with a message naming the property, before they create
 * anything: no connection, no delegate. They are activated as SCR does, with
 * their typed configuration, but without a BundleContext or endpoint: reaching
 * either would mean the configuration was not checked first.
 */
public class ComponentConfigurationTest {

    private static String connectionRefusal(Map<String, ?> properties) {
        ConnectionComponent c = new ConnectionComponent();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> c.activate(null, TypedConfig.of(ConnectionComponent.Config.class, properties)));
        IllegalStateException inactive = assertThrows(IllegalStateException.class, c::connection);
        assertEquals("MQTT cloud connection is not active", inactive.getMessage());
        assertEquals(false, c.snapshot().connected());
        c.deactivate();
        return e.getMessage();
    }

    @Test
    public void theConnectionRefusesABadBrokerUrlOrRangeAndDoesNotStart() {
        assertEquals("broker.url is empty", connectionRefusal(Map.of("broker.url", " ")));
        assertEquals("broker.url 'http://host:80' must start with tcp://, ssl://, ws:// or wss://",
                connectionRefusal(Map.of("broker.url", "http://host:80")));
        assertEquals("max.inflight must be 1..1000", connectionRefusal(Map.of("max.inflight", "0")));
        assertEquals("reconnect delays must satisfy 0 < min <= max",
                connectionRefusal(Map.of("reconnect.min.delay.ms", 5000, "reconnect.max.delay.ms", 1000)));
        assertEquals("invalid topic level 'a/b'", connectionRefusal(Map.of("account.name", "a/b")));
    }

    @Test
    public void theConnectionReadsItsDeclaredDefaults() {
        ConnectionSettings s = ConnectionSettings.from(Map.of("client.id", "gw1"));
        assertEquals(ConnectionSettings.DEFAULT_BROKER_URL, s.brokerUrl());
        assertEquals(ConnectionSettings.DEFAULT_ACCOUNT, s.accountName());
        assertEquals("gw1", s.clientId());
        assertEquals(30, s.keepAliveSeconds());
        assertEquals(64L * 1024 * 1024, s.outboxMaxBytes());
        assertEquals(100_000, s.outboxMaxMessages());
        assertEquals("TLSv1.2", s.tlsProtocol());
        assertEquals(-1, s.gzipThreshold());
        assertEquals("EdgeTune gateway", s.displayName());
        assertTrue(s.enabled() && s.hostnameVerification());
        assertTrue("an empty client id is the host name", !ConnectionSettings.from(Map.of()).clientId().isEmpty());
    }

    private static String publisherRefusal(Map<String, ?> properties) {
        PublisherComponent p = new PublisherComponent();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> p.activate(TypedConfig.of(PublisherComponent.Config.class, properties),
                        TypedConfig.of(PublisherComponent.Identity.class, properties)));
        IllegalStateException inactive = assertThrows(IllegalStateException.class,
                () -> p.publish(new KuraMessage(new KuraPayload())));
        assertEquals("publisher is not active", inactive.getMessage());
        return e.getMessage();
    }

    @Test
    public void aPublisherRefusesABadQosTypeOrTopicAndDoesNotStart() {
        assertEquals("qos must be 0, 1 or 2, not 3", publisherRefusal(Map.of("kura.service.pid", "p", "qos", 3)));
        assertEquals("message.type must be data or control, not 'event'",
                publisherRefusal(Map.of("kura.service.pid", "p", "message.type", "event")));
        assertEquals("app.topic 'detections/#' must be levels separated by single '/', without wildcards",
                publisherRefusal(Map.of("kura.service.pid", "p", "app.topic", "detections/#")));
        assertEquals("invalid topic level ''", publisherRefusal(Map.of("kura.service.pid", "p", "app.id", "")));
    }

    @Test
    public void aPublisherIsNamedByKuraServicePidElseByItsConfigurationPid() {
        assertEquals("edgetune-status", MqttCloudPublisher.Settings.from(
                Map.of("kura.service.pid", "edgetune-status", "service.pid", "io.edgetune.cloud.mqtt.Publisher~status")).origin());
        assertEquals("io.edgetune.cloud.mqtt.Publisher~status", MqttCloudPublisher.Settings.from(
                Map.of("service.pid", "io.edgetune.cloud.mqtt.Publisher~status")).origin());
        MqttCloudPublisher.Settings d = MqttCloudPublisher.Settings.from(Map.of("kura.service.pid", "x"));
        assertEquals(new MqttCloudPublisher.Settings("EDGETUNE", "", 1, false, 7, false, "x"), d);
    }

    private static String subscriberRefusal(Map<String, ?> properties) {
        SubscriberComponent s = new SubscriberComponent();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> s.activate(TypedConfig.of(SubscriberComponent.Config.class, properties)));
        IllegalStateException inactive = assertThrows(IllegalStateException.class,
                () -> s.registerCloudSubscriberListener(message -> { }));
        assertEquals("subscriber is not active", inactive.getMessage());
        s.deactivate();
        return e.getMessage();
    }

    @Test
    public void aSubscriberRefusesABadAppIdOrQosAndDoesNotStart() {
        assertEquals("invalid topic level 'a/b'", subscriberRefusal(Map.of("kura.service.pid", "s", "app.id", "a/b")));
        assertEquals("qos must be 0, 1 or 2, not 5", subscriberRefusal(Map.of("kura.service.pid", "s", "qos", "5")));
        assertEquals(new MqttCloudSubscriber.Settings("EDGETUNE", "#", 1),
                MqttCloudSubscriber.Settings.from(Map.of("kura.service.pid", "s")));
    }
}

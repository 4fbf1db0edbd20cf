package io.edgetune.cloud.mqtt.internal;

import io.edgetune.cloud.mqtt.status.CloudConnectionStatus;
import java.io.IOException;
import java.nio.file.Path;
import org.eclipse.kura.KuraException;
import org.eclipse.kura.cloudconnection.request.RequestHandler;
import org.eclipse.kura.cloudconnection.request.RequestHandlerRegistry;
import org.eclipse.kura.configuration.ConfigurableComponent;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standalone runtime's cloud connection (on a Kura gateway Kura's own
 * connection is used instead). Runs with defaults when not configured:
 * tcp://127.0.0.1:1883, the embedded broker's address.
 */
@Designate(ocd = ConnectionComponent.Config.class)
@Component(name = ConnectionComponent.PID, configurationPid = ConnectionComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
        service = {RequestHandlerRegistry.class, ConfigurableComponent.class, MqttEndpoint.class, CloudConnectionStatus.class})
public class ConnectionComponent implements RequestHandlerRegistry, ConfigurableComponent, MqttEndpoint, CloudConnectionStatus {

    public static final String PID = "io.edgetune.cloud.mqtt.Connection";
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionComponent.class);

    @ObjectClassDefinition(id = PID, name = "EdgeTune MQTT cloud connection",
            description = "MQTT connection speaking the Kura/Kapua namespace and KuraPayload encoding, with a disk outbox.")
    public @interface Config {
        @AttributeDefinition(name = "Enabled", description = "Connect to the broker.")
        boolean enabled() default true;

        @AttributeDefinition(name = "Broker URL", description = "tcp://host:1883, ssl://host:8883 (TLS), ws:// or wss://.")
        String broker_url() default ConnectionSettings.DEFAULT_BROKER_URL;

        @AttributeDefinition(name = "Account name", description = "First topic level (Kapua account / topic namespace).")
        String account_name() default ConnectionSettings.DEFAULT_ACCOUNT;

        @AttributeDefinition(name = "Client id", description = "MQTT client id and second topic level; empty means the host name.", required = false)
        String client_id() default "";

        @AttributeDefinition(name = "Display name", description = "Sent in the birth certificate.")
        String display_name() default "EdgeTune gateway";

        @AttributeDefinition(name = "Username", required = false)
        String username() default "";

        @AttributeDefinition(name = "Password", type = AttributeType.PASSWORD, required = false)
        String password() default "";

        @AttributeDefinition(name = "Keep alive (s)", min = "5")
        int keep_alive() default 30;

        @AttributeDefinition(name = "Connect timeout (s)", min = "1")
        int connect_timeout() default 10;

        @AttributeDefinition(name = "Reconnect minimum delay (ms)", min = "10")
        int reconnect_min_delay_ms() default 1000;

        @AttributeDefinition(name = "Reconnect maximum delay (ms)", min = "10")
        int reconnect_max_delay_ms() default 60000;

        @AttributeDefinition(name = "Maximum unacknowledged messages", min = "1", max = "1000")
        int max_inflight() default 16;

        @AttributeDefinition(name = "TLS trust store", description = "PKCS#12 or JKS file with the broker's CA; empty uses the JVM's.", required = false)
        String ssl_truststore_path() default "";

        @AttributeDefinition(name = "TLS trust store password", type = AttributeType.PASSWORD, required = false)
        String ssl_truststore_password() default "";

        @AttributeDefinition(name = "TLS client key store", description = "PKCS#12 or JKS file with the client certificate, for mutual TLS.", required = false)
        String ssl_keystore_path() default "";

        @AttributeDefinition(name = "TLS client key store password", type = AttributeType.PASSWORD, required = false)
        String ssl_keystore_password() default "";

        @AttributeDefinition(name = "TLS protocol", options = {@Option(value = "TLSv1.2"), @Option(value = "TLSv1.3")})
        String ssl_protocol() default "TLSv1.2";

        @AttributeDefinition(name = "TLS host name verification")
        boolean ssl_hostname_verification() default true;

        @AttributeDefinition(name = "Outbox directory", description = "Messages wait here while the broker is unreachable; empty means the bundle's data area.", required = false)
        String outbox_dir() default "";

        @AttributeDefinition(name = "Outbox size (MiB)", description = "When full, the oldest messages are dropped.", min = "1")
        int outbox_max_megabytes() default 64;

        @AttributeDefinition(name = "Outbox messages", description = "When reached, the oldest messages are dropped.", min = "1")
        int outbox_max_messages() default 100000;

        @AttributeDefinition(name = "Outbox fsync", description = "Force every message to the storage device (survives power loss; slower, wears SD cards).")
        boolean outbox_fsync() default false;

        @AttributeDefinition(name = "Gzip threshold (bytes)", description = "Compress payloads at least this large; -1 never.")
        int payload_gzip_threshold() default -1;
    }

    private volatile MqttCloudConnection connection;

    @Activate
    void activate(BundleContext context, Config config) throws IOException {
        // a rejected configuration throws here, before the outbox or the client exist
        ConnectionSettings settings = ConnectionSettings.from(config);
        Path outboxDir = settings.outboxDir().isBlank()
                ? context.getDataFile("outbox").toPath()
                : Path.of(settings.outboxDir());
        Bundle system = context.getBundle(Constants.SYSTEM_BUNDLE_ID);
        DeviceProfile device = DeviceProfile.detect(system == null ? "unknown" : system.getSymbolicName(),
                system == null ? "unknown" : system.getVersion().toString());
        MqttCloudConnection c = new MqttCloudConnection(settings, outboxDir, context.getBundle().getVersion().toString(), device);
        connection = c;
        c.start();
        LOG.info("MQTT cloud connection started: {}", settings);
    }

    @Deactivate
    void deactivate() {
        MqttCloudConnection c = connection;
        connection = null;
        if (c != null) {
            c.stop(3000);
        }
    }

    @Override
    public MqttCloudConnection connection() {
        MqttCloudConnection c = connection;
        if (c == null) {
            throw new IllegalStateException("MQTT cloud connection is not active");
        }
        return c;
    }

    @Override
    public Snapshot snapshot() {
        MqttCloudConnection c = connection;
        if (c == null) {
            return new Snapshot(false, "", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        }
        MqttCloudConnection.Status s = c.status();
        Outbox.Stats o = s.outbox();
        return new Snapshot(s.connected(), c.settings().brokerUrl(), s.connects(), s.connectionLosses(), o.pending(), o.pendingBytes(),
                o.oldestAgeMillis(), o.delivered(), o.dropped(), o.refused(), s.requests(), s.requestErrors(), s.incomingDropped());
    }

    @Override
    public void registerRequestHandler(String id, RequestHandler handler) throws KuraException {
        connection().registerRequestHandler(id, handler);
    }

    @Override
    public void unregister(String id) throws KuraException {
        MqttCloudConnection c = connection;
        if (c != null) {
            c.unregister(id);
        }
    }
}

package io.edgetune.broker.internal;

import java.nio.file.Path;
import org.eclipse.kura.configuration.ConfigurableComponent;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standalone runtime's default broker. Starts with defaults when not
 * configured (loopback, port 1883); disable it when an external broker is used.
 */
@Designate(ocd = BrokerComponent.Config.class)
@Component(name = BrokerComponent.PID, configurationPid = BrokerComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true, service = ConfigurableComponent.class)
public class BrokerComponent implements ConfigurableComponent {

    public static final String PID = "io.edgetune.broker.Broker";
    private static final Logger LOG = LoggerFactory.getLogger(BrokerComponent.class);

    @ObjectClassDefinition(id = PID, name = "EdgeTune embedded MQTT broker",
            description = "Moquette broker for the standalone runtime. Listens on loopback only unless told otherwise.")
    public @interface Config {
        @AttributeDefinition(name = "Enabled", description = "Run the embedded broker (turn off when an external broker is configured).")
        boolean enabled() default true;

        @AttributeDefinition(name = "Host", description = "Address to listen on; 0.0.0.0 exposes the broker to the network.")
        String host() default "127.0.0.1";

        @AttributeDefinition(name = "Port", min = "1", max = "65535")
        int port() default 1883;

        @AttributeDefinition(name = "WebSocket enabled")
        boolean websocket_enabled() default false;

        @AttributeDefinition(name = "WebSocket port", min = "1", max = "65535")
        int websocket_port() default 8080;

        @AttributeDefinition(name = "Persistence", description = "Keep sessions and queued messages across restarts.")
        boolean persistence_enabled() default true;

        @AttributeDefinition(name = "Persistence directory", description = "Empty means the bundle's data area.", required = false)
        String persistence_dir() default "";

        @AttributeDefinition(name = "Allow anonymous clients")
        boolean allow_anonymous() default true;

        @AttributeDefinition(name = "Maximum message size (bytes)", min = "1024")
        int max_message_bytes() default 16 * 1024 * 1024;
    }

    private volatile EmbeddedBroker broker;
    private volatile Thread starter;

    @Activate
    void activate(BundleContext context, Config config) {
        // a rejected configuration throws here, before anything starts: SCR logs the message and the component stays inactive
        BrokerSettings settings = BrokerSettings.from(config);
        if (!settings.enabled()) {
            LOG.info("Embedded MQTT broker disabled by configuration");
            return;
        }
        Path dir = settings.persistenceDir().isEmpty() ? context.getDataFile("moquette").toPath() : Path.of(settings.persistenceDir());
        EmbeddedBroker b = new EmbeddedBroker(settings, dir);
        broker = b;
        // binding the port and loading Netty takes a moment: not on the framework's thread
        Thread t = new Thread(() -> {
            try {
                b.start();
            } catch (Exception | LinkageError e) {
                LOG.error("Embedded MQTT broker could not start on {}:{}: {}", settings.host(), settings.port(), e.toString(), e);
            }
        }, "edgetune-broker-start");
        t.setDaemon(true);
        starter = t;
        t.start();
    }

    @Deactivate
    void deactivate() {
        Thread t = starter;
        starter = null;
        if (t != null) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        EmbeddedBroker b = broker;
        broker = null;
        if (b != null) {
            b.stop();
        }
    }
}

package io.edgetune.broker.internal;

import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Moquette with EdgeTune's settings: loopback by default, no websocket, no telemetry, H2 persistence. */
public final class EmbeddedBroker {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);

    private final BrokerSettings settings;
    private final Path dataDir;
    private Server server;

    public EmbeddedBroker(BrokerSettings settings, Path dataDir) {
        this.settings = settings;
        this.dataDir = dataDir;
    }

    /** Moquette's configuration for these settings. */
    Properties moquetteProperties() {
        Properties p = new Properties();
        p.setProperty("host", settings.host());
        p.setProperty("port", Integer.toString(settings.port()));
        p.setProperty("websocket_port", settings.websocketEnabled() ? Integer.toString(settings.websocketPort()) : "disabled");
        p.setProperty("allow_anonymous", Boolean.toString(settings.allowAnonymous()));
        // MQTT 3.1.1 lets clean-session clients connect without an id (mosquitto_sub and most tools do)
        p.setProperty("allow_zero_byte_client_id", "true");
        p.setProperty("persistence_enabled", Boolean.toString(settings.persistenceEnabled()));
        p.setProperty("data_path", dataDir.toString());
        // Moquette 0.17 reports usage to its authors unless told not to
        p.setProperty("telemetry_enabled", "false");
        p.setProperty("use_bugsnag", "false");
        p.setProperty("use_metrics", "false");
        p.setProperty("netty.epoll", "false");
        p.setProperty("netty.mqtt.message_size", Integer.toString(settings.maxMessageBytes()));
        return p;
    }

    public synchronized void start() throws IOException {
        if (server != null) {
            return;
        }
        Files.createDirectories(dataDir);
        Server s = new Server();
        // Moquette and Netty look classes up through the context loader; in OSGi that must be this bundle's
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(EmbeddedBroker.class.getClassLoader());
        try {
            s.startServer(new MemoryConfig(moquetteProperties()));
        } finally {
            t.setContextClassLoader(previous);
        }
        server = s;
        LOG.info("MQTT broker listening on {}:{}{} (data in {})", settings.host(), settings.port(),
                settings.websocketEnabled() ? ", websocket on " + settings.websocketPort() : "", dataDir);
    }

    public synchronized void stop() {
        Server s = server;
        server = null;
        if (s != null) {
            s.stopServer();
            LOG.info("MQTT broker on {}:{} stopped", settings.host(), settings.port());
        }
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    /** Clients connected right now. */
    public synchronized int connectedClients() {
        return server == null ? 0 : server.listConnectedClients().size();
    }
}

package io.edgetune.cloud.mqtt.internal;

import io.edgetune.api.config.TypedConfig;
import io.edgetune.cloud.mqtt.codec.KuraTopics;
import java.net.InetAddress;
import java.net.URI;
import java.util.Map;

/**
 * The connection configuration, checked; read from
 * {@link ConnectionComponent.Config}, which declares every key and default.
 */
public record ConnectionSettings(
        boolean enabled,
        String brokerUrl,
        String accountName,
        String clientId,
        String username,
        String password,
        int keepAliveSeconds,
        int connectTimeoutSeconds,
        int reconnectMinDelayMillis,
        int reconnectMaxDelayMillis,
        int maxInflight,
        String trustStorePath,
        String trustStorePassword,
        String keyStorePath,
        String keyStorePassword,
        String tlsProtocol,
        boolean hostnameVerification,
        String outboxDir,
        long outboxMaxBytes,
        int outboxMaxMessages,
        boolean outboxFsync,
        int gzipThreshold,
        String displayName) {

    public static final String DEFAULT_BROKER_URL = "tcp://127.0.0.1:1883";
    public static final String DEFAULT_ACCOUNT = "edgetune";

    public ConnectionSettings {
        if (brokerUrl == null || brokerUrl.isBlank()) {
            throw new IllegalArgumentException("broker.url is empty");
        }
        URI uri = URI.create(brokerUrl.trim());
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equals("tcp") || scheme.equals("ssl") || scheme.equals("ws") || scheme.equals("wss"))) {
            throw new IllegalArgumentException("broker.url '" + brokerUrl + "' must start with tcp://, ssl://, ws:// or wss://");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("broker.url '" + brokerUrl + "' has no host");
        }
        KuraTopics.checkSegment(accountName);
        KuraTopics.checkSegment(clientId);
        if (reconnectMinDelayMillis <= 0 || reconnectMaxDelayMillis < reconnectMinDelayMillis) {
            throw new IllegalArgumentException("reconnect delays must satisfy 0 < min <= max");
        }
        if (maxInflight < 1 || maxInflight > 1000) {
            throw new IllegalArgumentException("max.inflight must be 1..1000");
        }
    }

    public boolean tls() {
        return brokerUrl.startsWith("ssl://") || brokerUrl.startsWith("wss://");
    }

    /** Settings from the typed configuration, which declares every key and default; the checks above name a bad property. */
    public static ConnectionSettings from(ConnectionComponent.Config c) {
        String clientId = text(c.client_id());
        if (clientId.isBlank()) {
            clientId = defaultClientId();
        }
        return new ConnectionSettings(
                c.enabled(),
                text(c.broker_url()).trim(),
                text(c.account_name()).trim(),
                clientId.trim(),
                text(c.username()),
                text(c.password()),
                c.keep_alive(),
                c.connect_timeout(),
                c.reconnect_min_delay_ms(),
                c.reconnect_max_delay_ms(),
                c.max_inflight(),
                text(c.ssl_truststore_path()),
                text(c.ssl_truststore_password()),
                text(c.ssl_keystore_path()),
                text(c.ssl_keystore_password()),
                text(c.ssl_protocol()),
                c.ssl_hostname_verification(),
                text(c.outbox_dir()),
                (long) c.outbox_max_megabytes() * 1024 * 1024,
                c.outbox_max_messages(),
                c.outbox_fsync(),
                c.payload_gzip_threshold(),
                text(c.display_name()));
    }

    /**
     * Settings for a configuration given as properties (tests, code outside
     * SCR): read through the same typed configuration as the component.
     */
    public static ConnectionSettings from(Map<String, ?> properties) {
        return from(TypedConfig.of(ConnectionComponent.Config.class, properties));
    }

    /** The host name reduced to characters that are legal in a topic level and a client id. */
    static String defaultClientId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "edgetune";
        }
        String clean = host.replaceAll("[^A-Za-z0-9_.-]", "-");
        return clean.isEmpty() ? "edgetune" : clean;
    }

    /** A property set to nothing in a configuration file reads as empty. */
    private static String text(String v) {
        return v == null ? "" : v;
    }

    @Override
    public String toString() {
        // never print secrets
        return "ConnectionSettings[" + brokerUrl + ", account " + accountName + ", client " + clientId
                + (username.isEmpty() ? "" : ", user " + username) + ", outbox " + outboxDir + "]";
    }
}

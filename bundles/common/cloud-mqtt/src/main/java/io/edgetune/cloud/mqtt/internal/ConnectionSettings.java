package io.edgetune.cloud.mqtt.internal;

import io.edgetune.cloud.mqtt.codec.KuraTopics;
import java.net.InetAddress;
import java.net.URI;
import java.util.Map;

/**
 * The connection configuration, parsed and validated from component
 * properties (names as in {@link ConnectionConfig}).
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

    /** Builds settings from configuration properties; missing ones take their defaults. */
    public static ConnectionSettings from(Map<String, ?> p) {
        String clientId = str(p, "client.id", "");
        if (clientId.isBlank()) {
            clientId = defaultClientId();
        }
        return new ConnectionSettings(
                bool(p, "enabled", true),
                str(p, "broker.url", DEFAULT_BROKER_URL).trim(),
                str(p, "account.name", DEFAULT_ACCOUNT).trim(),
                clientId.trim(),
                str(p, "username", ""),
                secret(p.get("password")),
                integer(p, "keep.alive", 30),
                integer(p, "connect.timeout", 10),
                integer(p, "reconnect.min.delay.ms", 1000),
                integer(p, "reconnect.max.delay.ms", 60_000),
                integer(p, "max.inflight", 16),
                str(p, "ssl.truststore.path", ""),
                secret(p.get("ssl.truststore.password")),
                str(p, "ssl.keystore.path", ""),
                secret(p.get("ssl.keystore.password")),
                str(p, "ssl.protocol", "TLSv1.2"),
                bool(p, "ssl.hostname.verification", true),
                str(p, "outbox.dir", ""),
                (long) integer(p, "outbox.max.megabytes", 64) * 1024 * 1024,
                integer(p, "outbox.max.messages", 100_000),
                bool(p, "outbox.fsync", false),
                integer(p, "payload.gzip.threshold", -1),
                str(p, "display.name", "EdgeTune gateway"));
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

    static String str(Map<String, ?> p, String key, String def) {
        Object v = p.get(key);
        return v == null ? def : v.toString();
    }

    static boolean bool(Map<String, ?> p, String key, boolean def) {
        Object v = p.get(key);
        if (v == null) {
            return def;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        String s = v.toString().trim();
        if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(s);
        }
        throw new IllegalArgumentException(key + " must be true or false, not '" + s + "'");
    }

    static int integer(Map<String, ?> p, String key, int def) {
        Object v = p.get(key);
        if (v == null) {
            return def;
        }
        if (v instanceof Number n) {
            return n.intValue();
        }
        try {
            return Integer.parseInt(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer, not '" + v + "'");
        }
    }

    /** Password properties may come as String, char[] or a Kura Password-like object. */
    static String secret(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof char[] c) {
            return new String(c);
        }
        return v.toString();
    }

    @Override
    public String toString() {
        // never print secrets
        return "ConnectionSettings[" + brokerUrl + ", account " + accountName + ", client " + clientId
                + (username.isEmpty() ? "" : ", user " + username) + ", outbox " + outboxDir + "]";
    }
}

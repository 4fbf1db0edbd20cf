package io.edgetune.broker.internal;

/** Embedded broker configuration, checked; read from {@link BrokerComponent.Config}, which declares every key and default. */
public record BrokerSettings(boolean enabled, String host, int port, boolean websocketEnabled, int websocketPort,
                             boolean persistenceEnabled, String persistenceDir, boolean allowAnonymous,
                             int maxMessageBytes) {

    public BrokerSettings {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host is empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535, not " + port);
        }
        if (websocketEnabled && (websocketPort < 1 || websocketPort > 65535 || websocketPort == port)) {
            throw new IllegalArgumentException("websocket.port must be 1..65535 and differ from port, not " + websocketPort);
        }
        if (maxMessageBytes < 1024) {
            throw new IllegalArgumentException("max.message.bytes must be at least 1024");
        }
    }

    /** Settings from the typed configuration; the checks above name the property that is out of range. */
    public static BrokerSettings from(BrokerComponent.Config c) {
        return new BrokerSettings(c.enabled(), c.host() == null ? "" : c.host().trim(), c.port(), c.websocket_enabled(),
                c.websocket_port(), c.persistence_enabled(), c.persistence_dir() == null ? "" : c.persistence_dir().trim(),
                c.allow_anonymous(), c.max_message_bytes());
    }
}

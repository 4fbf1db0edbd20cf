package io.edgetune.broker.internal;

import java.util.Map;

/** Embedded broker configuration, parsed from component properties (names as in {@link BrokerComponent.Config}). */
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

    public static BrokerSettings from(Map<String, ?> p) {
        return new BrokerSettings(bool(p, "enabled", true), str(p, "host", "127.0.0.1").trim(), integer(p, "port", 1883),
                bool(p, "websocket.enabled", false), integer(p, "websocket.port", 8080),
                bool(p, "persistence.enabled", true), str(p, "persistence.dir", "").trim(),
                bool(p, "allow.anonymous", true), integer(p, "max.message.bytes", 16 * 1024 * 1024));
    }

    private static String str(Map<String, ?> p, String key, String def) {
        Object v = p.get(key);
        return v == null ? def : v.toString();
    }

    private static boolean bool(Map<String, ?> p, String key, boolean def) {
        Object v = p.get(key);
        if (v == null) {
            return def;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        String s = v.toString().trim();
        if (!s.equalsIgnoreCase("true") && !s.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException(key + " must be true or false, not '" + s + "'");
        }
        return Boolean.parseBoolean(s);
    }

    private static int integer(Map<String, ?> p, String key, int def) {
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
}

package io.edgetune.console.internal;

import io.edgetune.cloud.mqtt.status.CloudConnectionStatus;
import java.util.Locale;

/** The status line of the standalone MQTT connection; loaded only when that connection's service exists. */
final class ConnectionLine {

    private ConnectionLine() {
    }

    static String of(Object service) {
        CloudConnectionStatus.Snapshot s = ((CloudConnectionStatus) service).snapshot();
        return String.format(Locale.ROOT,
                "mqtt: %s %s; outbox %d waiting (%d KB, oldest %.1f s), %d delivered, %d dropped, %d refused; %d connects, %d losses",
                s.connected() ? "connected to" : "NOT CONNECTED to", s.brokerUrl(), s.outboxDepth(), s.outboxBytes() / 1024,
                s.outboxOldestAgeMillis() / 1000.0, s.delivered(), s.dropped(), s.refused(), s.connects(), s.connectionLosses());
    }
}

package io.edgetune.uploader.internal;

import io.edgetune.cloud.mqtt.status.CloudConnectionStatus;
import org.eclipse.kura.message.KuraPayload;

/** The standalone MQTT connection's counters as status metrics; loaded only when that connection's service exists. */
final class ConnectionMetrics {

    private ConnectionMetrics() {
    }

    static void add(Object service, KuraPayload p) {
        CloudConnectionStatus.Snapshot s = ((CloudConnectionStatus) service).snapshot();
        p.addMetric("connection.connected", s.connected());
        p.addMetric("connection.outbox.depth", s.outboxDepth());
        p.addMetric("connection.outbox.bytes", s.outboxBytes());
        p.addMetric("connection.outbox.oldest.age.ms", s.outboxOldestAgeMillis());
        p.addMetric("connection.delivered", s.delivered());
        p.addMetric("connection.dropped", s.dropped());
        p.addMetric("connection.refused", s.refused());
        p.addMetric("connection.losses", s.connectionLosses());
    }
}

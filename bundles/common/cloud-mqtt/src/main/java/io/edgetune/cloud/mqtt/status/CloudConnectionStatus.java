package io.edgetune.cloud.mqtt.status;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Registered by the standalone MQTT cloud connection (bundle
 * io.edgetune.cloud.mqtt) while it is active. {@link #snapshot()} is cheap
 * (counters plus one file-time lookup) and thread safe; call it as often as
 * a status line needs.
 */
@ProviderType
public interface CloudConnectionStatus {

    Snapshot snapshot();

    /**
     * One reading. Counters count since the connection component started.
     *
     * @param connected          connected to the broker now
     * @param brokerUrl          the configured broker
     * @param connects           successful connects
     * @param connectionLosses   connections lost (not counting clean stops)
     * @param outboxDepth        messages waiting in the disk outbox (not yet acknowledged by the broker)
     * @param outboxBytes        their size in bytes
     * @param outboxOldestAgeMillis age of the oldest waiting message, 0 when the outbox is empty
     * @param delivered          messages the broker acknowledged
     * @param dropped            messages dropped because the outbox was full (the oldest go first)
     * @param refused            messages refused because a single one exceeded the outbox budget
     * @param requests           requests received (EDGETUNE-V1 and any other request handler)
     * @param requestErrors      requests answered with a code other than 2xx
     * @param incomingDropped    incoming messages dropped because the routing queue was full
     */
    record Snapshot(boolean connected, String brokerUrl, long connects, long connectionLosses, long outboxDepth, long outboxBytes,
                    long outboxOldestAgeMillis, long delivered, long dropped, long refused, long requests, long requestErrors,
                    long incomingDropped) {
    }
}

package io.edgetune.model.delivery;

/**
 * What became of one delivery to one gateway.
 *
 * @param gateway      the gateway's client id
 * @param version      the model version (from the gateway's reply, else from the package's manifest; null if unknown)
 * @param accepted     installed (and activated when asked) by the gateway
 * @param responseCode the gateway's last response.code (200, 400, 404, 500), or 0 when no reply came
 * @param message      the gateway's reason for a refusal, or why the delivery stopped; "installed" / "installed and activated" on success
 * @param bytes        package bytes sent in chunks, resends included (0 for URL installs)
 * @param chunks       chunk requests answered with 200
 * @param retries      requests repeated after a timeout, a lost connection or a refusal
 * @param millis       wall time of the whole delivery
 */
public record DeliveryOutcome(String gateway, String version, boolean accepted, int responseCode, String message, long bytes,
                              int chunks, int retries, long millis) {
}

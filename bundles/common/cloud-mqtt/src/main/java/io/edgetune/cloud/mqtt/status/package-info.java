/**
 * The standalone cloud connection's state and counters, as an OSGi service
 * for status lines and status messages. Absent on a Kura gateway (Kura's own
 * connection is used there), so consumers reference it as optional.
 */
@org.osgi.annotation.versioning.Version("1.0.0")
@org.osgi.annotation.bundle.Export
package io.edgetune.cloud.mqtt.status;

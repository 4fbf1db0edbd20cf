/** Pipeline events for status and audit. */
@org.osgi.annotation.versioning.Version("1.0.0")
@org.osgi.annotation.bundle.Export
package io.edgetune.api.event;

/** Frames from cameras: pooled pixel buffers, the listener whiteboard and camera status. */
@org.osgi.annotation.versioning.Version("1.0.0")
@org.osgi.annotation.bundle.Export
package io.edgetune.api.frame;

/**
 * The tracking algorithm without OSGi: {@link io.edgetune.tracker.engine.CameraTracker} turns one camera's
 * detections into tracks and events, {@link io.edgetune.tracker.engine.Zones} reads and checks zone
 * definitions, {@link io.edgetune.tracker.engine.JpegCrops} encodes a track's best crop. Exported so that
 * benchmarks and evaluation harnesses run the same code as the gateway.
 */
@org.osgi.annotation.versioning.Version("1.0.0")
@org.osgi.annotation.bundle.Export
package io.edgetune.tracker.engine;

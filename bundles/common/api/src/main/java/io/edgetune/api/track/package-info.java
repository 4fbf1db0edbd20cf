/**
 * Tracked objects, zones and the events they produce: the tracker turns each
 * frame's detections into objects with stable ids; zones are named polygons
 * per camera; events (start, zone enter/leave, stationary, end) are what an
 * operator is told.
 */
@org.osgi.annotation.versioning.Version("1.0.0")
@org.osgi.annotation.bundle.Export
package io.edgetune.api.track;

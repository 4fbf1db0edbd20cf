/** Motion results: regions of interest in frame coordinates. */
@org.osgi.annotation.versioning.Version("1.0.0")
@org.osgi.annotation.bundle.Export
package io.edgetune.api.motion;

/** Object detections and the detector service. */
@org.osgi.annotation.versioning.Version("1.1.0")
@org.osgi.annotation.bundle.Export
package io.edgetune.api.detect;

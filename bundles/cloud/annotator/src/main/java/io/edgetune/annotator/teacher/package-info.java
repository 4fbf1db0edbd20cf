/**
 * The annotator's teacher without OSGi: labels a frame with any
 * DetectorService over the full frame and overlapping tiles, fusing the
 * boxes. The annotator labels samples with it; the evaluation harness uses it
 * as the reference the gateway's detections are measured against.
 */
@Version("1.0.0")
@Export
package io.edgetune.annotator.teacher;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

/**
 * Retraining of the edge detector's SSD class heads on a camera's own
 * teacher-labelled images, with the backbone frozen: the result is a copy of
 * the TFLite model with new head weights (same graph, same operators) plus
 * per-class score thresholds, evaluated against the base model.
 */
@Version("1.1.0")
@Export
package io.edgetune.trainer;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

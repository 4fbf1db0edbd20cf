/**
 * SSD building blocks shared by the gateway's detector and the trainer:
 * anchors of the TF Object Detection API scheme, box decoding with sigmoid
 * scores and per-class NMS, and input preparation into the model's tensor.
 */
@Version("1.1.0")
@Export
package io.edgetune.inference.ssd;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

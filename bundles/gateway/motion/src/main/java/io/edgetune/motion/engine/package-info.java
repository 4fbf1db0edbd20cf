/**
 * The motion stage on its own, without OSGi: background model, stabilisation
 * and region proposals on BGR frames, with its settings. The motion bundle's
 * component runs it per camera; benchmarks and the evaluation harness run it
 * on recorded video.
 */
@Version("1.0.0")
@Export
package io.edgetune.motion.engine;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

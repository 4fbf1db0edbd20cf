/**
 * The detector's model runner without OSGi: a TFLite SSD model loaded on a
 * backend (JavaCPP TFLite or DJL) with its engine options, run on frames or
 * regions with detector settings. The inference bundle's components serve it
 * as DetectorService; benchmarks, the evaluation harness and the cloud-side
 * tests run it directly.
 */
@Version("1.1.0")
@Export
package io.edgetune.inference.engine;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

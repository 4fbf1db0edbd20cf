/**
 * Region mode's choices, free of OSGi: how the motion stage's crops are packed into detector passes
 * ({@link io.edgetune.inference.regions.RegionPacker}, {@link io.edgetune.inference.regions.Mosaic}) and what a
 * camera remembers of objects that do not move ({@link io.edgetune.inference.regions.StillObjects}). The
 * detector component and the evaluation harness use the same classes.
 */
@Version("1.1.0")
@Export
package io.edgetune.inference.regions;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

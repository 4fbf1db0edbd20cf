/**
 * The capture bundle's video decoder (FFmpeg through JavaCV, exactly as a
 * camera with a file source decodes), for tools and tests that need the same
 * frames the gateway sees: benchmarks, the evaluation harness.
 */
@Version("1.0.0")
@Export
package io.edgetune.capture.decode;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

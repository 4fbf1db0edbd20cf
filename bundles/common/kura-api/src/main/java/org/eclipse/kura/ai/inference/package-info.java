/** Kura's API between AI wire components and inference engines (subset written for EdgeTune; Kura 5.1+ exports the real one). */
@org.osgi.annotation.versioning.Version("1.0.0")
@org.osgi.annotation.bundle.Export
package org.eclipse.kura.ai.inference;

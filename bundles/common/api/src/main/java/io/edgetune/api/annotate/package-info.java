/** The cloud annotator's datasets, reviews and retraining rounds, as seen by its web page and tools. */
@org.osgi.annotation.versioning.Version("1.1.0")
@org.osgi.annotation.bundle.Export
package io.edgetune.api.annotate;

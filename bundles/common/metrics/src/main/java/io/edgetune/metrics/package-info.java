/**
 * Detection-quality metrics: average precision at an IoU threshold, recall and precision at an operating
 * score, per class and per object size, accumulated image by image.
 */
@org.osgi.annotation.versioning.Version("1.1.0")
@org.osgi.annotation.bundle.Export
package io.edgetune.metrics;

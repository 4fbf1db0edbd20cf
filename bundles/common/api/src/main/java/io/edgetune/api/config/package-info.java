/**
 * Reading and checking component configurations: the view of a property map
 * through a component's typed configuration interface, and the range,
 * required-value and list checks the components share, with one wording for
 * their error messages; and OpenCV's thread count for the process (1.1).
 */
@org.osgi.annotation.versioning.Version("1.1.0")
@org.osgi.annotation.bundle.Export
package io.edgetune.api.config;

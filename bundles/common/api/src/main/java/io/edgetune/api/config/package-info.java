/**
 * Reading and checking component configurations: the view of a property map
 * through a component's typed configuration interface, and the range,
 * required-value and list checks the components share, with one wording for
 * their error messages.
 */
@org.osgi.annotation.versioning.Version("1.0.0")
@org.osgi.annotation.bundle.Export
package io.edgetune.api.config;

/** Model descriptors and the on-gateway model registry. */
@org.osgi.annotation.versioning.Version("1.1.0")
@org.osgi.annotation.bundle.Export
package io.edgetune.api.model;

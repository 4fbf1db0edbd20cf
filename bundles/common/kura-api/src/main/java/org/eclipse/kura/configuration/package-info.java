/** Kura configuration API subset: the marker for components that Kura's console configures. */
@org.osgi.annotation.versioning.Version("1.2.0")
@org.osgi.annotation.bundle.Export
package org.eclipse.kura.configuration;

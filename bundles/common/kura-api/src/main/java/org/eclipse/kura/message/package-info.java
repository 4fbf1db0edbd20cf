/** Kura message API subset: the payload model carried by the cloud connection. */
@org.osgi.annotation.versioning.Version("1.5.0")
@org.osgi.annotation.bundle.Export
package org.eclipse.kura.message;

/** Kura core API subset: the exception type and its error codes. */
@org.osgi.annotation.versioning.Version("1.7.0")
@org.osgi.annotation.bundle.Export
package org.eclipse.kura;

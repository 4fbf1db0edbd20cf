/**
 * Kura typed values subset: the values carried by Kura Wires records. Each
 * value class is immutable; TypedValues builds them from plain Java values.
 */
@org.osgi.annotation.versioning.Version("1.1.0")
@org.osgi.annotation.bundle.Export
package org.eclipse.kura.type;

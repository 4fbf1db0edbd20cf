/** Kura crypto API subset: the AES service Kura uses for Password attributes. */
@org.osgi.annotation.versioning.Version("1.3.0")
@org.osgi.annotation.bundle.Export
package org.eclipse.kura.crypto;

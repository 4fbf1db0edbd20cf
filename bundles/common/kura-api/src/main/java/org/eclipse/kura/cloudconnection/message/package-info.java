/** The message exchanged with a cloud connection: payload plus properties. */
@org.osgi.annotation.versioning.Version("1.0.0")
@org.osgi.annotation.bundle.Export
package org.eclipse.kura.cloudconnection.message;

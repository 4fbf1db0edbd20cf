/** Publishing to the cloud. */
@org.osgi.annotation.versioning.Version("1.0.0")
@org.osgi.annotation.bundle.Export
package org.eclipse.kura.cloudconnection.publisher;

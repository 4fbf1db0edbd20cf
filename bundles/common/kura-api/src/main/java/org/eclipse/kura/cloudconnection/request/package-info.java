/** Remote request handling (request/response over the cloud connection). */
@org.osgi.annotation.versioning.Version("1.0.0")
@org.osgi.annotation.bundle.Export
package org.eclipse.kura.cloudconnection.request;

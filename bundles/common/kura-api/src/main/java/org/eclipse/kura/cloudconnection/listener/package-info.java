/** Connection and delivery callbacks. */
@org.osgi.annotation.versioning.Version("1.0.0")
@org.osgi.annotation.bundle.Export
package org.eclipse.kura.cloudconnection.listener;

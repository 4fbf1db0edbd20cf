package org.eclipse.kura.cloudconnection.publisher;

import org.osgi.annotation.versioning.ProviderType;

/** The publisher a request handler uses to send notifications about a running request. */
@ProviderType
public interface CloudNotificationPublisher extends CloudPublisher {
}

package org.eclipse.kura.cloudconnection.subscriber;

import org.eclipse.kura.cloudconnection.listener.CloudConnectionListener;
import org.eclipse.kura.cloudconnection.subscriber.listener.CloudSubscriberListener;
import org.osgi.annotation.versioning.ProviderType;

/** Delivers messages that arrive on the subscriber's configured source to registered listeners. */
@ProviderType
public interface CloudSubscriber {

    void registerCloudSubscriberListener(CloudSubscriberListener listener);

    void unregisterCloudSubscriberListener(CloudSubscriberListener listener);

    void registerCloudConnectionListener(CloudConnectionListener cloudConnectionListener);

    void unregisterCloudConnectionListener(CloudConnectionListener cloudConnectionListener);
}

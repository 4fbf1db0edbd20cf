package org.eclipse.kura.cloudconnection.subscriber.listener;

import org.eclipse.kura.cloudconnection.message.KuraMessage;
import org.osgi.annotation.versioning.ConsumerType;

/** Receives the messages of a {@code CloudSubscriber} it is registered with. */
@ConsumerType
@FunctionalInterface
public interface CloudSubscriberListener {

    void onMessageArrived(KuraMessage message);
}

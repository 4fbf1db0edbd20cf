package org.eclipse.kura.cloudconnection.subscriber.listener;

import org.eclipse.kura.cloudconnection.message.KuraMessage;
import org.osgi.annotation.versioning.ConsumerType;

@ConsumerType
public interface CloudSubscriberListener {

    void onMessageArrived(KuraMessage message);
}

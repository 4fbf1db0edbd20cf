package org.eclipse.kura.cloudconnection.listener;

import org.osgi.annotation.versioning.ConsumerType;

@ConsumerType
public interface CloudDeliveryListener {

    /** The message with this id (as returned by publish) was acknowledged by the remote end. */
    void onMessageConfirmed(String messageId);
}

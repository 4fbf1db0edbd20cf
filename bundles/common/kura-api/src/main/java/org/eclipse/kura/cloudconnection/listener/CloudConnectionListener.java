package org.eclipse.kura.cloudconnection.listener;

import org.osgi.annotation.versioning.ConsumerType;

@ConsumerType
public interface CloudConnectionListener {

    /** The connection was closed on purpose. */
    void onDisconnected();

    /** The connection dropped unexpectedly; the implementation tries to reconnect. */
    void onConnectionLost();

    void onConnectionEstablished();
}

package io.edgetune.cloud.mqtt.internal;

import org.eclipse.kura.cloudconnection.listener.CloudConnectionListener;

/**
 * What a publisher and a subscriber share: the connection they use, whose connection events their
 * listeners follow (Kura's CloudPublisher and CloudSubscriber each declare the same two methods).
 */
abstract class ConnectionUser {

    protected final MqttCloudConnection connection;

    ConnectionUser(MqttCloudConnection connection) {
        this.connection = connection;
    }

    public void registerCloudConnectionListener(CloudConnectionListener l) {
        connection.addConnectionListener(l);
    }

    public void unregisterCloudConnectionListener(CloudConnectionListener l) {
        connection.removeConnectionListener(l);
    }
}

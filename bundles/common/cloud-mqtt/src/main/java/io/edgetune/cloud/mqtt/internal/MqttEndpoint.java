package io.edgetune.cloud.mqtt.internal;

/** Internal service: how publishers and subscribers of this bundle reach the running connection. */
public interface MqttEndpoint {

    MqttCloudConnection connection();
}

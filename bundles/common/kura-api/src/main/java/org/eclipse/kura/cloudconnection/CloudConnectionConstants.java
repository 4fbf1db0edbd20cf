package org.eclipse.kura.cloudconnection;

/** Service property names that tie cloud publishers, subscribers and connections together. */
public enum CloudConnectionConstants {

    /** Property of a publisher or subscriber: the kura.service.pid of the cloud endpoint it uses. */
    CLOUD_ENDPOINT_SERVICE_PID_PROP_NAME("cloud.endpoint.service.pid"),
    /** Property of a cloud connection: the factory PID of the connection factory that created it. */
    CLOUD_CONNECTION_FACTORY_PID_PROP_NAME("cloud.connection.factory.pid");

    private final String value;

    CloudConnectionConstants(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }
}

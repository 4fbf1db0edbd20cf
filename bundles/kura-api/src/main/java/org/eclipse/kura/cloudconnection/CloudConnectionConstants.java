package org.eclipse.kura.cloudconnection;

/** Well-known property names of cloud connection components, as used by Kura. */
public enum CloudConnectionConstants {

    /** Service property a publisher or subscriber uses to name its cloud endpoint. */
    CLOUD_ENDPOINT_SERVICE_PID_PROP_NAME("cloud.endpoint.service.pid"),
    /** Service property with the PID of a configured component. */
    KURA_SERVICE_PID("kura.service.pid");

    private final String value;

    CloudConnectionConstants(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }
}

package org.eclipse.kura.cloudconnection.message;

import java.util.HashMap;
import java.util.Map;
import org.eclipse.kura.message.KuraPayload;
import org.osgi.annotation.versioning.ProviderType;

/** A payload with message-level properties (e.g. the request arguments of a command). */
@ProviderType
public class KuraMessage {

    private final Map<String, Object> properties;
    private final KuraPayload payload;

    public KuraMessage(KuraPayload payload) {
        this(payload, new HashMap<>());
    }

    public KuraMessage(KuraPayload payload, Map<String, Object> properties) {
        this.properties = new HashMap<>(properties);
        this.payload = payload;
    }

    public Map<String, Object> getProperties() {
        return properties;
    }

    public KuraPayload getPayload() {
        return payload;
    }
}

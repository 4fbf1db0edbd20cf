package org.eclipse.kura.wire;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import org.eclipse.kura.type.TypedValue;
import org.osgi.annotation.versioning.ProviderType;

/** One record flowing on a wire: named typed values. The map is exposed read-only. */
@ProviderType
public class WireRecord {

    private final Map<String, TypedValue<?>> properties;

    public WireRecord(final Map<String, TypedValue<?>> properties) {
        this.properties = Collections.unmodifiableMap(Objects.requireNonNull(properties, "properties is null"));
    }

    public Map<String, TypedValue<?>> getProperties() {
        return properties;
    }
}

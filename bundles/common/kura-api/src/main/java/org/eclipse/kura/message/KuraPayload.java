package org.eclipse.kura.message;

import java.util.Collections;
import java.util.Date;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A cloud message: a timestamp, an optional position, named metrics (Boolean,
 * Double, Float, Integer, Long, String or byte[]) and an optional opaque body.
 */
@ProviderType
public class KuraPayload {

    private Date timestamp;
    private KuraPosition position;
    // insertion order keeps encoded payloads stable and readable
    private final Map<String, Object> metrics = new LinkedHashMap<>();
    private byte[] body;

    public KuraPayload() {
    }

    public Date getTimestamp() {
        return timestamp;
    }

    public void setTimestamp(Date timestamp) {
        this.timestamp = timestamp;
    }

    public KuraPosition getPosition() {
        return position;
    }

    public void setPosition(KuraPosition position) {
        this.position = position;
    }

    public Object getMetric(String name) {
        return metrics.get(name);
    }

    public void addMetric(String name, Object value) {
        metrics.put(name, value);
    }

    public void removeMetric(String name) {
        metrics.remove(name);
    }

    public void removeAllMetrics() {
        metrics.clear();
    }

    public Set<String> metricNames() {
        return Collections.unmodifiableSet(metrics.keySet());
    }

    public Iterator<String> metricsIterator() {
        return metrics.keySet().iterator();
    }

    public Map<String, Object> metrics() {
        return Collections.unmodifiableMap(metrics);
    }

    public byte[] getBody() {
        return body;
    }

    public void setBody(byte[] body) {
        this.body = body;
    }
}

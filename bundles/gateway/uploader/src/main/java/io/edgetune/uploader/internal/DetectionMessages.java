package io.edgetune.uploader.internal;

import io.edgetune.api.detect.Detection;
import io.edgetune.api.detect.Detections;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Locale;
import java.util.Map;
import org.eclipse.kura.message.KuraPayload;

/**
 * The detection message: summary metrics for dashboards and rules, and a
 * compact JSON body with every box (see docs/mqtt.md).
 */
public final class DetectionMessages {

    private DetectionMessages() {
    }

    public static KuraPayload payload(Detections d) {
        KuraPayload p = new KuraPayload();
        p.setTimestamp(new Date(d.frameTimestampMillis()));
        p.addMetric("camera.id", d.cameraId());
        p.addMetric("type", "frame");
        p.addMetric("frame.sequence", d.frameSequence());
        p.addMetric("model.version", String.valueOf(d.modelVersion()));
        p.addMetric("backend", String.valueOf(d.backend()));
        p.addMetric("mode", d.mode() == null ? "" : d.mode().name());
        p.addMetric("count", d.detections().size());
        p.addMetric("inference.ms", d.inferenceNanos() / 1e6);
        Detection top = null;
        for (Detection x : d.detections()) {
            if (top == null || x.score() > top.score()) {
                top = x;
            }
        }
        if (top != null) {
            p.addMetric("top.label", String.valueOf(top.label()));
            p.addMetric("top.score", (double) top.score());
        }
        p.setBody(json(d).getBytes(StandardCharsets.UTF_8));
        return p;
    }

    /** A camera had nothing to report for a while: proof of life with how many frames it looked at. */
    static KuraPayload heartbeat(Uploader.Heartbeat h) {
        KuraPayload p = new KuraPayload();
        long now = System.currentTimeMillis();
        p.setTimestamp(new Date(now));
        p.addMetric("camera.id", h.cameraId());
        p.addMetric("type", "heartbeat");
        p.addMetric("count", 0);
        p.addMetric("silent.s", h.silentSeconds());
        p.addMetric("frames", h.framesSince());
        p.addMetric("model.version", String.valueOf(h.modelVersion()));
        StringBuilder sb = new StringBuilder("{\"cam\":");
        string(sb, h.cameraId());
        sb.append(",\"ts\":").append(now).append(",\"type\":\"heartbeat\",\"det\":[]}");
        p.setBody(sb.toString().getBytes(StandardCharsets.UTF_8));
        return p;
    }

    /** One window of a camera: counts per label instead of boxes. */
    static KuraPayload aggregate(Uploader.Aggregate a, double windowSeconds) {
        KuraPayload p = new KuraPayload();
        p.setTimestamp(new Date(a.toMillis()));
        p.addMetric("camera.id", a.cameraId());
        p.addMetric("type", "aggregate");
        p.addMetric("window.s", windowSeconds);
        p.addMetric("from", a.fromMillis());
        p.addMetric("to", a.toMillis());
        p.addMetric("frames", a.frames());
        p.addMetric("frames.with.detections", a.framesWithDetections());
        p.addMetric("model.version", String.valueOf(a.modelVersion()));
        p.addMetric("backend", String.valueOf(a.backend()));
        int total = 0;
        String top = null;
        int topCount = 0;
        StringBuilder sb = new StringBuilder("{\"cam\":");
        string(sb, a.cameraId());
        sb.append(",\"from\":").append(a.fromMillis()).append(",\"to\":").append(a.toMillis())
                .append(",\"frames\":").append(a.frames()).append(",\"counts\":{");
        boolean first = true;
        for (Map.Entry<String, Integer> e : a.counts().entrySet()) {
            int n = e.getValue();
            total += n;
            if (n > topCount) {
                top = e.getKey();
                topCount = n;
            }
            p.addMetric("count." + e.getKey(), n);
            if (!first) {
                sb.append(',');
            }
            first = false;
            string(sb, e.getKey());
            sb.append(':').append(n);
        }
        sb.append("}}");
        p.addMetric("count", total);
        if (top != null) {
            p.addMetric("top.label", top);
        }
        p.setBody(sb.toString().getBytes(StandardCharsets.UTF_8));
        return p;
    }

    /** {"cam":..,"seq":..,"ts":..,"model":..,"det":[{"c":classId,"l":label,"s":score,"b":[x,y,w,h]}]} */
    static String json(Detections d) {
        StringBuilder sb = new StringBuilder(64 + 64 * d.detections().size());
        sb.append("{\"cam\":");
        string(sb, d.cameraId());
        sb.append(",\"seq\":").append(d.frameSequence());
        sb.append(",\"ts\":").append(d.frameTimestampMillis());
        sb.append(",\"model\":");
        string(sb, String.valueOf(d.modelVersion()));
        sb.append(",\"det\":[");
        boolean first = true;
        for (Detection x : d.detections()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            sb.append("{\"c\":").append(x.classId()).append(",\"l\":");
            string(sb, String.valueOf(x.label()));
            sb.append(",\"s\":").append(round(x.score(), 3));
            sb.append(",\"b\":[").append(round(x.x(), 1)).append(',').append(round(x.y(), 1)).append(',')
                    .append(round(x.width(), 1)).append(',').append(round(x.height(), 1)).append("]}");
        }
        return sb.append("]}").toString();
    }

    private static String round(float v, int decimals) {
        if (Float.isNaN(v) || Float.isInfinite(v)) {
            return "null";
        }
        String s = String.format(Locale.ROOT, "%." + decimals + "f", v);
        // trim trailing zeros to keep the body compact
        if (s.indexOf('.') >= 0) {
            s = s.replaceAll("0+$", "");
            if (s.endsWith(".")) {
                s = s.substring(0, s.length() - 1);
            }
        }
        return s.equals("-0") ? "0" : s;
    }

    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
    }
}

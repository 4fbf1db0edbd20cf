package io.edgetune.uploader.internal;

import com.google.gson.stream.JsonWriter;
import io.edgetune.api.detect.Detection;
import io.edgetune.api.detect.Detections;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Map;
import org.eclipse.kura.message.KuraPayload;

/**
 * The detection message: summary metrics for dashboards and rules, and a
 * compact JSON body with every box (see docs/mqtt.md).
 */
public final class DetectionMessages {

    private DetectionMessages() {
    }

    /** Which build of the model package ran and why ("int8-cpu", "Edge TPU unavailable: ..."), when known. */
    static void addBuild(KuraPayload p, String build, String reason) {
        if (build != null && !build.isEmpty()) {
            p.addMetric("build", build);
            p.addMetric("build.reason", reason == null ? "" : reason);
        }
    }

    public static KuraPayload payload(Detections d) {
        KuraPayload p = new KuraPayload();
        p.setTimestamp(new Date(d.frameTimestampMillis()));
        p.addMetric("camera.id", d.cameraId());
        p.addMetric("type", "frame");
        p.addMetric("frame.sequence", d.frameSequence());
        p.addMetric("model.version", String.valueOf(d.modelVersion()));
        p.addMetric("backend", String.valueOf(d.backend()));
        addBuild(p, d.build(), d.buildReason());
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
        p.setBody(body(w -> w.beginObject().name("cam").value(h.cameraId()).name("ts").value(now).name("type").value("heartbeat")
                .name("det").beginArray().endArray().endObject()));
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
        for (Map.Entry<String, Integer> e : a.counts().entrySet()) {
            int n = e.getValue();
            total += n;
            if (n > topCount) {
                top = e.getKey();
                topCount = n;
            }
            p.addMetric("count." + e.getKey(), n);
        }
        p.addMetric("count", total);
        if (top != null) {
            p.addMetric("top.label", top);
        }
        p.setBody(body(w -> {
            w.beginObject().name("cam").value(a.cameraId()).name("from").value(a.fromMillis()).name("to").value(a.toMillis())
                    .name("frames").value(a.frames()).name("counts").beginObject();
            for (Map.Entry<String, Integer> e : a.counts().entrySet()) {
                w.name(e.getKey()).value(e.getValue());
            }
            w.endObject().endObject();
        }));
        return p;
    }

    /** {"cam":..,"seq":..,"ts":..,"model":..,"det":[{"c":classId,"l":label,"s":score,"b":[x,y,w,h]}]} */
    static String json(Detections d) {
        return new String(body(w -> {
            w.beginObject().name("cam").value(d.cameraId()).name("seq").value(d.frameSequence())
                    .name("ts").value(d.frameTimestampMillis()).name("model").value(String.valueOf(d.modelVersion()))
                    .name("det").beginArray();
            for (Detection x : d.detections()) {
                w.beginObject().name("c").value(x.classId()).name("l").value(String.valueOf(x.label()));
                round(w.name("s"), x.score(), 3);
                round(w.name("b").beginArray(), x.x(), 1);
                round(w, x.y(), 1);
                round(w, x.width(), 1);
                round(w, x.height(), 1);
                w.endArray().endObject();
            }
            w.endArray().endObject();
        }), StandardCharsets.UTF_8);
    }

    /** What a message body writes into Gson's writer. */
    private interface Body {
        void write(JsonWriter w) throws IOException;
    }

    /** One compact JSON document as UTF-8 (no HTML escapes: the body is not a web page). */
    private static byte[] body(Body b) {
        StringWriter out = new StringWriter(256);
        try (JsonWriter w = new JsonWriter(out)) {
            b.write(w);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Rounded half up to {@code decimals}, trailing zeros dropped to keep the body compact (100.3, 50, 0.877); NaN as null. */
    private static void round(JsonWriter w, float v, int decimals) throws IOException {
        if (!Float.isFinite(v)) {
            w.nullValue();
            return;
        }
        // the decimal digits of the float as Java prints it, then rounded: the same figures as "%.3f"
        BigDecimal r = new BigDecimal(Double.toString(v)).setScale(decimals, RoundingMode.HALF_UP).stripTrailingZeros();
        w.value(r.scale() < 0 ? r.setScale(0) : r);
    }
}

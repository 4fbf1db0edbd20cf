package io.edgetune.wires.internal;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.edgetune.api.detect.Detection;
import io.edgetune.api.detect.Detections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.kura.type.TypedValue;
import org.eclipse.kura.type.TypedValues;
import org.eclipse.kura.wire.WireRecord;

/**
 * The wire record of one detections message. Property names are those of
 * the uploader's MQTT detection metrics, so a Wires graph and a cloud
 * dashboard speak of the same things:
 * <ul>
 * <li>{@code camera.id} STRING, {@code frame.sequence} LONG, {@code frame.timestamp} LONG (ms since the epoch),
 * {@code model.version} STRING (empty when unknown), {@code count} INTEGER (boxes in the record);</li>
 * <li>{@code top.label} STRING and {@code top.score} DOUBLE: the best box, absent when there is none;</li>
 * <li>{@code detections} STRING: a JSON array, one object per box,
 * {@code {"c":classId,"l":label,"s":score,"b":[x,y,width,height]}} (score to 3 decimals, box in frame pixels
 * to 1 decimal), the shape of the entries of the uploader's {@code det} array.</li>
 * </ul>
 */
public final class DetectionRecords {

    public static final String CAMERA_ID = "camera.id";
    public static final String FRAME_SEQUENCE = "frame.sequence";
    public static final String FRAME_TIMESTAMP = "frame.timestamp";
    public static final String MODEL_VERSION = "model.version";
    public static final String COUNT = "count";
    public static final String TOP_LABEL = "top.label";
    public static final String TOP_SCORE = "top.score";
    public static final String DETECTIONS = "detections";

    /** Labels are written as they are (no HTML escaping); every key is present, null when unknown. */
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeNulls().create();

    private DetectionRecords() {
    }

    /**
     * The record of a tracker event, named as the uploader's event metrics: {@code camera.id},
     * {@code event.type} (start, enter, leave, stationary, end), {@code track.id} LONG, {@code class.id} INTEGER,
     * {@code label}, {@code score} DOUBLE, {@code zone} (enter and leave only), {@code event.timestamp} LONG (ms),
     * {@code duration.ms} LONG. The end event's picture is not part of the record.
     */
    public static WireRecord event(io.edgetune.api.track.TrackEvent e) {
        Map<String, TypedValue<?>> p = new LinkedHashMap<>();
        p.put(CAMERA_ID, TypedValues.newStringValue(e.cameraId()));
        p.put("event.type", TypedValues.newStringValue(e.type().name().toLowerCase(java.util.Locale.ROOT)));
        p.put("track.id", TypedValues.newLongValue(e.trackId()));
        p.put("class.id", TypedValues.newIntegerValue(e.classId()));
        p.put("label", TypedValues.newStringValue(String.valueOf(e.label())));
        p.put("score", TypedValues.newDoubleValue(e.score()));
        if (e.zone() != null) {
            p.put("zone", TypedValues.newStringValue(e.zone()));
        }
        p.put("event.timestamp", TypedValues.newLongValue(e.timeMillis()));
        p.put("duration.ms", TypedValues.newLongValue(e.durationMillis()));
        return new WireRecord(p);
    }

    /** The record of a message, with the boxes that passed the emitter's score filter. */
    public static WireRecord record(Detections message, List<Detection> boxes) {
        Map<String, TypedValue<?>> p = new LinkedHashMap<>();
        p.put(CAMERA_ID, TypedValues.newStringValue(message.cameraId()));
        p.put(FRAME_SEQUENCE, TypedValues.newLongValue(message.frameSequence()));
        p.put(FRAME_TIMESTAMP, TypedValues.newLongValue(message.frameTimestampMillis()));
        p.put(MODEL_VERSION, TypedValues.newStringValue(message.modelVersion()));
        p.put(COUNT, TypedValues.newIntegerValue(boxes.size()));
        Detection top = null;
        for (Detection d : boxes) {
            if (top == null || d.score() > top.score()) {
                top = d;
            }
        }
        if (top != null) {
            p.put(TOP_LABEL, TypedValues.newStringValue(top.label()));
            p.put(TOP_SCORE, TypedValues.newDoubleValue(top.score()));
        }
        p.put(DETECTIONS, TypedValues.newStringValue(json(boxes)));
        return new WireRecord(p);
    }

    static String json(List<Detection> boxes) {
        JsonArray all = new JsonArray();
        for (Detection d : boxes) {
            JsonObject o = new JsonObject();
            o.addProperty("c", d.classId());
            o.add("l", d.label() == null ? JsonNull.INSTANCE : new JsonPrimitive(d.label()));
            o.add("s", rounded(d.score(), 1000));
            JsonArray b = new JsonArray();
            b.add(rounded(d.x(), 10));
            b.add(rounded(d.y(), 10));
            b.add(rounded(d.width(), 10));
            b.add(rounded(d.height(), 10));
            o.add("b", b);
            all.add(o);
        }
        return GSON.toJson(all);
    }

    /** JSON has no NaN or infinity: such a value is written as null. */
    private static JsonElement rounded(float v, int scale) {
        if (!Float.isFinite(v)) {
            return JsonNull.INSTANCE;
        }
        double r = Math.round((double) v * scale) / (double) scale;
        return new JsonPrimitive(r == 0 ? 0.0 : r);
    }
}

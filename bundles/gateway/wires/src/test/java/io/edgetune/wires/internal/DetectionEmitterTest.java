package io.edgetune.wires.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.edgetune.api.detect.Detection;
import io.edgetune.api.detect.Detections;
import io.edgetune.api.track.TrackEvent;
import io.edgetune.api.motion.Region;
import io.edgetune.wires.internal.HandMadeWireRuntime.DirectWire;
import io.edgetune.wires.internal.HandMadeWireRuntime.RecordingReceiver;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.kura.type.DataType;
import org.eclipse.kura.type.TypedValue;
import org.eclipse.kura.wire.WireEnvelope;
import org.eclipse.kura.wire.WireRecord;
import org.junit.After;
import org.junit.Test;
import org.osgi.service.wireadmin.Wire;

public class DetectionEmitterTest {

    private final HandMadeWireRuntime runtime = new HandMadeWireRuntime();
    private final RecordingReceiver receiver = new RecordingReceiver();
    private DetectionEmitter emitter;
    private DirectWire wire;

    @After
    public void deactivate() {
        if (emitter != null) {
            emitter.deactivate();
        }
    }

    /** The Config annotation with its declared defaults, except the given overrides (keys are method names). */
    static DetectionEmitter.Config config(Map<String, Object> overrides) {
        return (DetectionEmitter.Config) Proxy.newProxyInstance(DetectionEmitter.Config.class.getClassLoader(),
                new Class<?>[] {DetectionEmitter.Config.class}, (proxy, m, args) -> {
                    if (overrides.containsKey(m.getName())) {
                        return overrides.get(m.getName());
                    }
                    if (m.getDefaultValue() != null) {
                        return m.getDefaultValue();
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
    }

    /** As Kura's Wire Composer would: an instance of the factory PID, wired to one receiver. */
    private void activateWiredTo(Map<String, Object> overrides) {
        emitter = new DetectionEmitter();
        emitter.wireHelperService = runtime;
        Map<String, Object> props = new HashMap<>();
        props.put("service.pid", DetectionEmitter.FACTORY_PID + ".1234");
        props.put("service.factoryPid", DetectionEmitter.FACTORY_PID);
        props.put("kura.service.pid", "detections-front");
        emitter.activate(new HandMadeWireRuntime.Context(props), config(overrides));
        wire = new DirectWire(emitter, receiver);
        emitter.consumersConnected(new Wire[] {wire});
    }

    /** A detections message as the detector sends it (full-frame SSD MobileNet on a 640x480 frame). */
    private static Detections message(String camera, long sequence, Detection... boxes) {
        return new Detections(camera, sequence, 1_764_547_200_000L + sequence * 200, 0L, "ssd-mobilenet-v2@3", "tflite-javacpp",
                Detections.Mode.FULL_FRAME, List.of(new Region(0, 0, 640, 480)), List.of(boxes), 21_000_000L, 34_000_000L);
    }

    private static final Detection PERSON = new Detection(1, "person", 0.912f, 102.4f, 88.25f, 61.5f, 170.04f);
    private static final Detection CAR = new Detection(3, "car", 0.764f, 300f, 210.5f, 180.2f, 96.77f);
    private static final Detection DOG = new Detection(18, "dog", 0.31f, 20f, 400f, 50f, 40f);

    private WireEnvelope next() throws InterruptedException {
        WireEnvelope e = receiver.received.poll(5, TimeUnit.SECONDS);
        assertNotNull("no envelope reached the receiver", e);
        return e;
    }

    private static <T> T value(WireRecord r, String name, DataType type, Class<T> javaType) {
        TypedValue<?> v = r.getProperties().get(name);
        assertNotNull(name + " missing from " + r.getProperties().keySet(), v);
        assertEquals(name, type, v.getType());
        return javaType.cast(v.getValue());
    }

    @Test
    public void aWiredReceiverGetsOneRecordPerDetectionsMessageWithTypedProperties() throws Exception {
        activateWiredTo(Map.of());

        emitter.onDetections(message("front", 41, CAR, PERSON, DOG), null);

        WireEnvelope e = next();
        assertEquals("the emitter is known by its kura.service.pid", "detections-front", e.getEmitterPid());
        assertEquals(1, e.getRecords().size());
        WireRecord r = e.getRecords().get(0);
        assertEquals("front", value(r, "camera.id", DataType.STRING, String.class));
        assertEquals(41L, (long) value(r, "frame.sequence", DataType.LONG, Long.class));
        assertEquals(1_764_547_208_200L, (long) value(r, "frame.timestamp", DataType.LONG, Long.class));
        assertEquals("ssd-mobilenet-v2@3", value(r, "model.version", DataType.STRING, String.class));
        assertEquals(3, (int) value(r, "count", DataType.INTEGER, Integer.class));
        assertEquals("person", value(r, "top.label", DataType.STRING, String.class));
        assertEquals(0.912, value(r, "top.score", DataType.DOUBLE, Double.class), 1e-6);
        assertEquals(8, r.getProperties().size());

        JsonArray det = JsonParser.parseString(value(r, "detections", DataType.STRING, String.class)).getAsJsonArray();
        assertEquals(3, det.size());
        JsonObject car = det.get(0).getAsJsonObject();
        assertEquals(3, car.get("c").getAsInt());
        assertEquals("car", car.get("l").getAsString());
        assertEquals(0.764, car.get("s").getAsDouble(), 0);
        JsonArray box = car.get("b").getAsJsonArray();
        assertEquals(300.0, box.get(0).getAsDouble(), 0);
        assertEquals(210.5, box.get(1).getAsDouble(), 0);
        assertEquals(180.2, box.get(2).getAsDouble(), 0);
        assertEquals(96.8, box.get(3).getAsDouble(), 0);
        assertEquals("person", det.get(1).getAsJsonObject().get("l").getAsString());
        assertEquals("dog", det.get(2).getAsJsonObject().get("l").getAsString());

        emitter.onDetections(message("front", 42, CAR), null);
        WireRecord second = next().getRecords().get(0);
        assertEquals(42L, (long) value(second, "frame.sequence", DataType.LONG, Long.class));
        assertEquals("car", value(second, "top.label", DataType.STRING, String.class));
    }

    @Test
    public void trackerEventsAreEmittedWhenAskedForInOrderWithTheDetections() throws Exception {
        activateWiredTo(Map.of("emit_events", true, "camera_id", "front"));

        emitter.onEvent(new TrackEvent(TrackEvent.Type.ENTER, "back", 3, 1, "person", 0.8f, "door", 1_000L, 500L, null));
        emitter.onDetections(message("front", 7, PERSON), null);
        emitter.onEvent(new TrackEvent(TrackEvent.Type.ENTER, "front", 12, 1, "person", 0.91f, "door", 1_764_547_201_400L,
                1_400L, null));
        emitter.onEvent(new TrackEvent(TrackEvent.Type.END, "front", 12, 1, "person", 0.93f, null, 1_764_547_209_000L,
                9_000L, new byte[] {(byte) 0xff, (byte) 0xd8}));

        assertEquals("the other camera's event is left out", 7L,
                (long) value(next().getRecords().get(0), "frame.sequence", DataType.LONG, Long.class));
        WireRecord enter = next().getRecords().get(0);
        assertEquals("enter", value(enter, "event.type", DataType.STRING, String.class));
        assertEquals(12L, (long) value(enter, "track.id", DataType.LONG, Long.class));
        assertEquals(1, (int) value(enter, "class.id", DataType.INTEGER, Integer.class));
        assertEquals("person", value(enter, "label", DataType.STRING, String.class));
        assertEquals(0.91, value(enter, "score", DataType.DOUBLE, Double.class), 1e-6);
        assertEquals("door", value(enter, "zone", DataType.STRING, String.class));
        assertEquals(1_764_547_201_400L, (long) value(enter, "event.timestamp", DataType.LONG, Long.class));
        assertEquals(1_400L, (long) value(enter, "duration.ms", DataType.LONG, Long.class));
        WireRecord end = next().getRecords().get(0);
        assertEquals("end", value(end, "event.type", DataType.STRING, String.class));
        assertNull("no zone on end", end.getProperties().get("zone"));
        assertEquals(8, end.getProperties().size());
    }

    @Test
    public void trackerEventsAreNotEmittedByDefault() throws Exception {
        activateWiredTo(Map.of());
        emitter.onEvent(new TrackEvent(TrackEvent.Type.START, "front", 1, 1, "person", 0.8f, null, 1_000L, 300L, null));
        emitter.onDetections(message("front", 2, CAR), null);
        assertEquals(2L, (long) value(next().getRecords().get(0), "frame.sequence", DataType.LONG, Long.class));
        assertTrue(receiver.received.isEmpty());
    }

    @Test
    public void theCameraFilterLeavesOtherCamerasOut() throws Exception {
        activateWiredTo(Map.of("camera_id", " front "));

        emitter.onDetections(message("back", 1, PERSON), null);
        emitter.onDetections(message("front", 2, CAR), null);

        // one emitting thread, in order: had "back" been emitted it would have arrived first
        assertEquals("front", value(next().getRecords().get(0), "camera.id", DataType.STRING, String.class));
        assertTrue(receiver.received.isEmpty());
    }

    @Test
    public void framesWithoutBoxesEmitNothingUntilTheConfigurationAsksForThem() throws Exception {
        activateWiredTo(Map.of());

        emitter.onDetections(message("front", 1), null);
        emitter.onDetections(message("front", 2, DOG), null);
        assertEquals(2L, (long) value(next().getRecords().get(0), "frame.sequence", DataType.LONG, Long.class));

        emitter.updated(config(Map.of("only_with_detections", false)));
        emitter.onDetections(message("front", 3), null);

        WireRecord empty = next().getRecords().get(0);
        assertEquals(0, (int) value(empty, "count", DataType.INTEGER, Integer.class));
        assertFalse("no top box, no top.label", empty.getProperties().containsKey("top.label"));
        assertFalse(empty.getProperties().containsKey("top.score"));
        assertEquals("[]", value(empty, "detections", DataType.STRING, String.class));
    }

    @Test
    public void theMinimumScoreLeavesWeakBoxesOutOfCountTopAndJson() throws Exception {
        activateWiredTo(Map.of("min_score", 0.5f));

        emitter.onDetections(message("front", 1, DOG), null);
        emitter.onDetections(message("front", 2, DOG, CAR), null);

        WireRecord r = next().getRecords().get(0);
        assertEquals("a message whose boxes are all too weak emits nothing", 2L,
                (long) value(r, "frame.sequence", DataType.LONG, Long.class));
        assertEquals(1, (int) value(r, "count", DataType.INTEGER, Integer.class));
        assertEquals("car", value(r, "top.label", DataType.STRING, String.class));
        JsonArray det = JsonParser.parseString(value(r, "detections", DataType.STRING, String.class)).getAsJsonArray();
        assertEquals(1, det.size());
    }

    @Test
    public void pollingTheWireReturnsTheLastEnvelopeThroughTheComponent() throws Exception {
        activateWiredTo(Map.of());
        assertNull(wire.poll());

        emitter.onDetections(message("front", 7, PERSON), null);
        WireEnvelope sent = next();

        assertSame(sent, wire.poll());
    }

    @Test
    public void aSlowGraphCostsDroppedRecordsNotDetectorTime() throws Exception {
        activateWiredTo(Map.of("queue_size", 1));
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        receiver.beforeEachDelivery = () -> {
            inside.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };

        emitter.onDetections(message("front", 1, PERSON), null);
        assertTrue(inside.await(5, TimeUnit.SECONDS));
        long start = System.nanoTime();
        for (int i = 2; i <= 11; i++) {
            emitter.onDetections(message("front", i, PERSON), null);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue("the detector waited " + millis + " ms for the wire graph", millis < 500);
        release.countDown();

        assertEquals(1L, (long) value(next().getRecords().get(0), "frame.sequence", DataType.LONG, Long.class));
        assertEquals("the one queued message comes next", 2L,
                (long) value(next().getRecords().get(0), "frame.sequence", DataType.LONG, Long.class));
        assertNull("the other nine were dropped", receiver.received.poll(300, TimeUnit.MILLISECONDS));
    }

    @Test
    public void afterDeactivationDetectionsAreIgnored() throws Exception {
        activateWiredTo(Map.of());
        emitter.deactivate();
        emitter.onDetections(message("front", 1, PERSON), null);
        emitter = null;
        assertNull(receiver.received.poll(300, TimeUnit.MILLISECONDS));
    }
}

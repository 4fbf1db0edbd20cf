package io.edgetune.console.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.edgetune.api.detect.Detection;
import io.edgetune.api.detect.Detections;
import io.edgetune.api.frame.CameraStatus;
import io.edgetune.api.motion.Region;
import java.util.List;
import org.junit.Test;

public class StatusTableTest {

    private static Detections frame(String camera, long seq, Detection... found) {
        return new Detections(camera, seq, 0L, 0L, "v1", "tflite-javacpp", Detections.Mode.REGIONS,
                List.of(new Region(0, 0, 300, 300)), List.of(found), 20_000_000L, 25_000_000L);
    }

    @Test
    public void countsDetectionsPerLabelAndShowsCameraHealth() {
        StatusTable t = new StatusTable();
        Detection person = new Detection(4, "Person", 0.8f, 10, 10, 20, 60);
        t.record(frame("plaza", 1, person, person));
        t.record(frame("plaza", 2, person, new Detection(2, "Boot", 0.5f, 0, 0, 5, 5)));
        t.record(frame("plaza", 3));
        CameraStatus s = new CameraStatus("plaza", CameraStatus.State.RUNNING, "", "vtest.avi", 100, 90, 10, 9.5, 768, 576, 0, 0);

        List<String> lines = t.lines(List.of(s), id -> 0.25);

        assertEquals(1, lines.size());
        String line = lines.get(0);
        assertTrue(line, line.startsWith("plaza: RUNNING 9.5 fps, 100 grabbed, 10 dropped"));
        assertTrue(line, line.contains("motion: 25% of frames skip inference"));
        assertTrue(line, line.contains("detections: 4 in 3 frames {Boot=1, Person=3}"));
        assertTrue(line, line.contains("last 0 objects, 25.0 ms, model v1"));
    }

    @Test
    public void camerasWithoutServiceOrDetectionsStillGetALine() {
        StatusTable t = new StatusTable();
        t.record(frame("gone", 1));
        CameraStatus s = new CameraStatus("door", CameraStatus.State.RECONNECTING, "connection refused", "rtsp://x", 0, 0, 0, 0, 0, 0, 0, 3);

        List<String> lines = t.lines(List.of(s), id -> -1);

        assertEquals(List.of("door: RECONNECTING 0.0 fps, 0 grabbed, 0 dropped, 3 reconnects (connection refused)",
                "gone: no camera service; detections: 0 in 1 frames, last 0 objects, 25.0 ms, model v1 (tflite-javacpp)"), lines);
    }
}

package io.edgetune.evaluation;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.edgetune.api.detect.Detection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.Test;

public class TeacherCacheTest {

    private static final List<String> LABELS = List.of("???", "Person", "Car");

    @Test
    public void labelsReadBackExactlyAndOnlyForTheSameVideoAndModel() throws Exception {
        Path dir = Files.createTempDirectory("teacher-cache");
        Path video = Files.writeString(dir.resolve("v.avi"), "pretend video");
        Path model = Files.writeString(dir.resolve("m.tflite"), "pretend model");
        Path other = Files.writeString(dir.resolve("o.tflite"), "another model");
        List<Detection> boxes = List.of(new Detection(1, "Person", 0.61234567f, 437.63522f, -0.5f, 41.308075f, 91.467545f),
                new Detection(2, "Car", 1e-5f, 0f, 3.3333333f, 700.1f, 1.0E-3f));
        TeacherCache c = new TeacherCache(dir, video, model, 5);
        assertTrue(c.file().getFileName().toString().matches("teacher-[0-9a-f]{16}-13-5\\.json"));
        c.put(20, boxes);
        c.put(25, List.of());
        c.save("v.avi", "test teacher");

        TeacherCache again = new TeacherCache(dir, video, model, 5);
        assertEquals(2, again.load(LABELS));
        assertEquals(boxes, again.get(20));
        assertEquals(List.of(), again.get(25));
        assertNull(again.get(30));

        TeacherCache otherModel = new TeacherCache(dir, video, other, 5);
        assertEquals("labels of another model are not reused", 0, otherModel.load(LABELS));
    }

    @Test
    public void aDamagedCacheSaysSo() throws Exception {
        Path dir = Files.createTempDirectory("teacher-cache");
        Path video = Files.writeString(dir.resolve("v.avi"), "pretend video");
        Path model = Files.writeString(dir.resolve("m.tflite"), "pretend model");
        TeacherCache c = new TeacherCache(dir, video, model, 5);
        c.put(20, List.of(new Detection(1, "Person", 0.5f, 1, 2, 3, 4)));
        c.save("v.avi", "test teacher");
        Files.writeString(c.file(), Files.readString(c.file()).replace("[1,0.5,1.0,2.0,3.0,4.0]", "[1,0.5,1.0,2.0]"));
        IOException e = assertThrows(IOException.class, () -> new TeacherCache(dir, video, model, 5).load(LABELS));
        assertTrue(e.getMessage(), e.getMessage().contains("frame 20"));
    }
}

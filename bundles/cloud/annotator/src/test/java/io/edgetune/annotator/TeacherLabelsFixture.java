package io.edgetune.annotator;

import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import com.google.gson.stream.JsonWriter;
import io.edgetune.annotator.teacher.Teacher;
import io.edgetune.annotator.teacher.TeacherSettings;
import io.edgetune.api.detect.Detection;
import io.edgetune.api.frame.Frame;
import io.edgetune.api.frame.FramePool;
import io.edgetune.inference.engine.DetectorSettings;
import io.edgetune.inference.engine.LoadedModel;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/**
 * Writes the teacher's labels for every 10th frame of vtest.avi as JSON
 * (frame index to [[classId, x, y, w, h, score], ...]) for the trainer's
 * tests. Skipped unless -Dfixture.out=FILE is given:
 * {@code mvn -B -o -q -pl bundles/cloud/annotator test -Dtest=TeacherLabelsFixture -Dfixture.out=/tmp/teacher-vtest.json}
 */
public class TeacherLabelsFixture {

    static final int STEP = 10;
    static final int FRAMES = 80;

    @Test
    public void writeTeacherLabels() throws Exception {
        String out = System.getProperty("fixture.out", "");
        assumeTrue("set -Dfixture.out=FILE to write the fixture", !out.isBlank());
        int[] indices = new int[FRAMES];
        for (int i = 0; i < FRAMES; i++) {
            indices[i] = i * STEP;
        }
        Map<Integer, byte[]> frames = RealAssets.frames(indices);
        FramePool pool = new FramePool(2, RealAssets.WIDTH, RealAssets.HEIGHT);
        int boxes = 0;
        StringWriter json = new StringWriter();
        try (LoadedModel model = RealAssets.model(); JsonWriter w = new JsonWriter(json)) {
            w.beginObject(); 
            // the cloud's detector service as the annotator uses it: regions, all labels, lower per-pass threshold
            Teacher teacher = new Teacher(RealAssets.detector(model, DetectorSettings.defaults().withScoreThreshold(0.3f)),
                    TeacherSettings.defaults());
            for (int n = 0; n < indices.length; n++) {
                int i = indices[n];
                Frame f = RealAssets.frame(pool, "plaza", i, 100L * i, frames.get(i));
                List<Detection> labels;
                try {
                    labels = teacher.label(f).finalLabels();
                } finally {
                    f.release();
                }
                // {"frame": [[classId, x, y, w, h, score], ...], ...}: pixels to one decimal, scores to three
                w.name(Integer.toString(i)).beginArray();
                for (Detection d : labels) {
                    w.beginArray().value(d.classId()).value(Math.round(d.x() * 10) / 10.0).value(Math.round(d.y() * 10) / 10.0)
                            .value(Math.round(d.width() * 10) / 10.0).value(Math.round(d.height() * 10) / 10.0)
                            .value(Math.round(d.score() * 1000) / 1000.0).endArray();
                }
                w.endArray();
                boxes += labels.size();
            }
            w.endObject();
        }
        Path file = Paths.get(out);
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Files.writeString(file, json + "\n", StandardCharsets.UTF_8);
        System.out.printf("teacher labels: %d boxes on %d frames -> %s%n", boxes, indices.length, file.toAbsolutePath());
        assertTrue("the teacher found nobody in " + FRAMES + " frames of a busy plaza", boxes > FRAMES);
    }
}

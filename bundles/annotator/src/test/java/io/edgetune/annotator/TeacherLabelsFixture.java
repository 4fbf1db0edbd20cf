package io.edgetune.annotator;

import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import io.edgetune.annotator.teacher.Teacher;
import io.edgetune.annotator.teacher.TeacherSettings;
import io.edgetune.api.detect.Detection;
import io.edgetune.api.frame.Frame;
import io.edgetune.api.frame.FramePool;
import io.edgetune.inference.engine.DetectorSettings;
import io.edgetune.inference.engine.LoadedModel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.Test;

/**
 * Writes the teacher's labels for every 10th frame of vtest.avi as JSON
 * (frame index to [[classId, x, y, w, h, score], ...]) for the trainer's
 * tests. Skipped unless -Dfixture.out=FILE is given:
 * {@code mvn -B -o -q -pl bundles/annotator test -Dtest=TeacherLabelsFixture -Dfixture.out=/tmp/teacher-vtest.json}
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
        StringBuilder json = new StringBuilder("{\n");
        try (LoadedModel model = RealAssets.model()) {
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
                json.append("  \"").append(i).append("\": [");
                for (int k = 0; k < labels.size(); k++) {
                    Detection d = labels.get(k);
                    json.append(k == 0 ? "" : ", ").append(String.format(Locale.ROOT, "[%d, %.1f, %.1f, %.1f, %.1f, %.3f]",
                            d.classId(), d.x(), d.y(), d.width(), d.height(), d.score()));
                }
                json.append(n + 1 < indices.length ? "],\n" : "]\n");
                boxes += labels.size();
            }
        }
        json.append("}\n");
        Path file = Paths.get(out);
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Files.writeString(file, json, StandardCharsets.UTF_8);
        System.out.printf("teacher labels: %d boxes on %d frames -> %s%n", boxes, indices.length, file.toAbsolutePath());
        assertTrue("the teacher found nobody in " + FRAMES + " frames of a busy plaza", boxes > FRAMES);
    }
}

package io.edgetune.trainer;

import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;

import com.google.gson.Gson;
import com.google.gson.reflect.TypeToken;
import io.edgetune.api.detect.Detection;
import io.edgetune.testsupport.Assets;
import io.edgetune.testsupport.VideoFrames;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * The real assets plus the teacher's labels of every 10th frame of vtest.avi
 * (src/test/resources/teacher-vtest.json, written by the annotator's
 * TeacherLabelsFixture). Frames are decoded once per JVM and stored as JPEGs,
 * as the annotator stores samples; split by time: the first 56 frames train,
 * 4 frames gap, the last 20 validate.
 */
final class TeacherData {

    static final int TRAIN = 56;
    static final int GAP = 4;

    private static List<LabelledImage> images;
    private static Path dir;

    private TeacherData() {
    }

    static Path assets() {
        return Assets.dir();
    }

    static Path model() {
        return Assets.model();
    }

    static List<String> labels() throws IOException {
        return Assets.labels();
    }

    static synchronized List<LabelledImage> all() throws Exception {
        if (images == null) {
            Map<Integer, List<Detection>> truth = readFixture(labels());
            dir = Files.createTempDirectory("trainer-frames");
            dir.toFile().deleteOnExit();
            int[] wanted = truth.keySet().stream().mapToInt(Integer::intValue).toArray();
            Map<Integer, byte[]> frames = VideoFrames.bgr(wanted);
            List<LabelledImage> out = new ArrayList<>();
            for (int n : wanted) {
                Path jpeg = dir.resolve(String.format("frame-%04d.jpg", n));
                writeJpeg(frames.get(n), jpeg);
                jpeg.toFile().deleteOnExit();
                out.add(new LabelledImage(jpeg, truth.get(n)));
            }
            images = List.copyOf(out);
        }
        return images;
    }

    static List<LabelledImage> train() throws Exception {
        return all().subList(0, TRAIN);
    }

    static List<LabelledImage> validation() throws Exception {
        return all().subList(TRAIN + GAP, all().size());
    }

    private static void writeJpeg(byte[] bgr, Path jpeg) {
        try (BytePointer p = new BytePointer(bgr);
                Mat m = new Mat(VideoFrames.HEIGHT, VideoFrames.WIDTH, org.bytedeco.opencv.global.opencv_core.CV_8UC3, p)) {
            if (!imwrite(jpeg.toString(), m)) {
                throw new IllegalStateException("cannot write " + jpeg);
            }
        }
    }

    /** {"frame": [[classId, x, y, w, h, score], ...], ...}, as the annotator's TeacherLabelsFixture writes it. */
    static Map<Integer, List<Detection>> readFixture(List<String> labels) throws IOException {
        Map<String, List<List<Double>>> frames;
        try (InputStream in = TeacherData.class.getResourceAsStream("/teacher-vtest.json")) {
            if (in == null) {
                throw new IOException("teacher-vtest.json missing from the test resources");
            }
            frames = new Gson().fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8),
                    new TypeToken<Map<String, List<List<Double>>>>() { }.getType());
        }
        Map<Integer, List<Detection>> out = new TreeMap<>();
        frames.forEach((frame, boxes) -> {
            List<Detection> detections = new ArrayList<>();
            for (List<Double> v : boxes) {
                int c = v.get(0).intValue();
                detections.add(new Detection(c, labels.get(c), v.get(5).floatValue(), v.get(1).floatValue(), v.get(2).floatValue(),
                        v.get(3).floatValue(), v.get(4).floatValue()));
            }
            out.put(Integer.parseInt(frame), detections);
        });
        if (out.size() < 60) {
            throw new IOException("teacher-vtest.json holds only " + out.size() + " frames");
        }
        return out;
    }

    static int truths(List<LabelledImage> images) {
        int n = 0;
        for (LabelledImage li : images) {
            n += li.truth().size();
        }
        return n;
    }
}

package io.edgetune.evaluation;

import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import com.google.gson.stream.MalformedJsonException;
import io.edgetune.api.detect.Detection;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Teacher labels cost about half a second per frame, so they are kept in
 * {@code teacher-<video sha256 prefix>-<video bytes>-<every>.json} next to the assets and reused when the video,
 * the teacher's model and the labelling stride are the same. Compact JSON written and read with Gson; the frames
 * as {@code "frame": [[classId, score, x, y, width, height], ...]} in frame pixels.
 */
final class TeacherCache {

    private final Path file;
    private final String videoSha;
    private final String modelSha;
    private final int every;
    private final Map<Integer, List<Detection>> frames = new TreeMap<>();

    TeacherCache(Path dir, Path video, Path model, int every) throws IOException {
        this.videoSha = sha256(video);
        this.modelSha = sha256(model);
        this.every = every;
        this.file = dir.resolve(String.format(Locale.ROOT, "teacher-%s-%d-%d.json", videoSha.substring(0, 16), Files.size(video), every));
    }

    Path file() {
        return file;
    }

    /** Reads the cached labels if the file belongs to this video and model; otherwise starts empty. */
    int load(List<String> labels) throws IOException {
        frames.clear();
        if (!Files.isRegularFile(file)) {
            return 0;
        }
        String video = null;
        String model = null;
        Map<Integer, List<Detection>> read = new TreeMap<>();
        // a streaming read of the known layout: nothing is built recursively, unknown members are skipped
        try (JsonReader r = new JsonReader(Files.newBufferedReader(file, StandardCharsets.UTF_8))) {
            r.beginObject();
            while (r.hasNext()) {
                switch (r.nextName()) {
                    case "videoSha256" -> video = r.nextString();
                    case "modelSha256" -> model = r.nextString();
                    case "frames" -> readFrames(r, labels, read);
                    default -> r.skipValue();
                }
            }
            r.endObject();
        } catch (IllegalStateException | NumberFormatException | MalformedJsonException | EOFException e) {
            throw new IOException("broken teacher cache " + file + ": " + e.getMessage() + " (delete the file to relabel)", e);
        }
        if (!videoSha.equals(video) || !modelSha.equals(model)) {
            System.err.println("teacher cache " + file + " is for another video or model: labelling again");
            return 0;
        }
        frames.putAll(read);
        return frames.size();
    }

    /** {"frame": [[classId, score, x, y, width, height], ...], ...} */
    private void readFrames(JsonReader r, List<String> labels, Map<Integer, List<Detection>> out) throws IOException {
        r.beginObject();
        while (r.hasNext()) {
            String frame = r.nextName();
            List<Detection> boxes = new ArrayList<>();
            r.beginArray();
            while (r.hasNext()) {
                float[] v = new float[6];
                int n = 0;
                r.beginArray();
                while (r.hasNext()) {
                    if (n == v.length || r.peek() != JsonToken.NUMBER) {
                        throw new IOException("broken teacher cache " + file + ": frame " + frame
                                + " has a box that is not 6 numbers (delete the file to relabel)");
                    }
                    // the number as written: Float.toString reads back to the same float
                    v[n++] = Float.parseFloat(r.nextString());
                }
                r.endArray();
                if (n != v.length) {
                    throw new IOException("broken teacher cache " + file + ": frame " + frame + " has a box of " + n
                            + " numbers, not 6 (delete the file to relabel)");
                }
                int cls = (int) v[0];
                boxes.add(new Detection(cls, cls < labels.size() ? labels.get(cls) : "class" + cls, v[1], v[2], v[3], v[4], v[5]));
            }
            r.endArray();
            out.put(Integer.parseInt(frame), List.copyOf(boxes));
        }
        r.endObject();
    }

    List<Detection> get(int frame) {
        return frames.get(frame);
    }

    void put(int frame, List<Detection> boxes) {
        frames.put(frame, List.copyOf(boxes));
    }

    /** Writes through a temporary file, so an interrupted run never leaves half a cache. */
    void save(String videoName, String teacherDescription) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (JsonWriter w = new JsonWriter(Files.newBufferedWriter(tmp, StandardCharsets.UTF_8))) {
            w.beginObject()
                    .name("format").value("edgetune-teacher-labels/1")
                    .name("video").value(videoName.replace("\\", "/"))
                    .name("videoSha256").value(videoSha)
                    .name("modelSha256").value(modelSha)
                    .name("every").value(every)
                    .name("teacher").value(teacherDescription);
            w.name("box").beginArray().value("classId").value("score").value("x").value("y").value("width").value("height").endArray();
            w.name("frames").beginObject();
            for (Map.Entry<Integer, List<Detection>> e : frames.entrySet()) {
                w.name(Integer.toString(e.getKey())).beginArray();
                for (Detection d : e.getValue()) {
                    // floats as Float.toString writes them, which reads back to the same float: a cached run scores
                    // exactly like the labelling run
                    w.beginArray().value(d.classId()).value(Float.valueOf(d.score())).value(Float.valueOf(d.x()))
                            .value(Float.valueOf(d.y())).value(Float.valueOf(d.width())).value(Float.valueOf(d.height())).endArray();
                }
                w.endArray();
            }
            w.endObject().endObject();
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static String sha256(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

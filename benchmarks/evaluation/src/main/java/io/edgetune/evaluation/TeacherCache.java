package io.edgetune.evaluation;

import io.edgetune.api.detect.Detection;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Teacher labels cost about half a second per frame, so they are kept in
 * {@code teacher-<video sha256 prefix>-<video bytes>-<every>.json} next to the assets and reused when the video,
 * the teacher's model and the labelling stride are the same. One frame per line, each box as
 * {@code [classId, score, x, y, width, height]} in frame pixels.
 */
final class TeacherCache {

    private static final Pattern FRAME_LINE = Pattern.compile("^\\s*\"(\\d+)\"\\s*:\\s*\\[(.*)\\]\\s*,?\\s*$");
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?");
    private static final Pattern MODEL = Pattern.compile("\"modelSha256\"\\s*:\\s*\"([0-9a-f]+)\"");
    private static final Pattern VIDEO = Pattern.compile("\"videoSha256\"\\s*:\\s*\"([0-9a-f]+)\"");

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
        String text = Files.readString(file, StandardCharsets.UTF_8);
        Matcher v = VIDEO.matcher(text);
        Matcher m = MODEL.matcher(text);
        if (!v.find() || !v.group(1).equals(videoSha) || !m.find() || !m.group(1).equals(modelSha)) {
            System.err.println("teacher cache " + file + " is for another video or model: labelling again");
            return 0;
        }
        for (String line : text.split("\n")) {
            Matcher f = FRAME_LINE.matcher(line);
            if (!f.matches()) {
                continue;
            }
            List<Float> numbers = new ArrayList<>();
            Matcher n = NUMBER.matcher(f.group(2));
            while (n.find()) {
                numbers.add(Float.parseFloat(n.group()));
            }
            if (numbers.size() % 6 != 0) {
                throw new IOException("broken teacher cache " + file + ": frame " + f.group(1) + " has " + numbers.size()
                        + " numbers, not boxes of 6 (delete the file to relabel)");
            }
            List<Detection> boxes = new ArrayList<>(numbers.size() / 6);
            for (int i = 0; i < numbers.size(); i += 6) {
                int cls = numbers.get(i).intValue();
                boxes.add(new Detection(cls, cls < labels.size() ? labels.get(cls) : "class" + cls, numbers.get(i + 1),
                        numbers.get(i + 2), numbers.get(i + 3), numbers.get(i + 4), numbers.get(i + 5)));
            }
            frames.put(Integer.parseInt(f.group(1)), List.copyOf(boxes));
        }
        return frames.size();
    }

    List<Detection> get(int frame) {
        return frames.get(frame);
    }

    void put(int frame, List<Detection> boxes) {
        frames.put(frame, List.copyOf(boxes));
    }

    /** Writes through a temporary file, so an interrupted run never leaves half a cache. */
    void save(String videoName, String teacherDescription) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("{\n");
        sb.append("  \"format\": \"edgetune-teacher-labels/1\",\n");
        sb.append("  \"video\": \"").append(videoName.replace("\\", "/").replace("\"", "'")).append("\",\n");
        sb.append("  \"videoSha256\": \"").append(videoSha).append("\",\n");
        sb.append("  \"modelSha256\": \"").append(modelSha).append("\",\n");
        sb.append("  \"every\": ").append(every).append(",\n");
        sb.append("  \"teacher\": \"").append(teacherDescription.replace("\"", "'")).append("\",\n");
        sb.append("  \"box\": [\"classId\", \"score\", \"x\", \"y\", \"width\", \"height\"],\n");
        sb.append("  \"frames\": {\n");
        int i = 0;
        for (Map.Entry<Integer, List<Detection>> e : frames.entrySet()) {
            sb.append("    \"").append(e.getKey()).append("\": [");
            int j = 0;
            for (Detection d : e.getValue()) {
                // Float.toString reads back to the same float: a cached run scores exactly like the labelling run
                sb.append(j++ == 0 ? "" : ", ").append('[').append(d.classId()).append(", ").append(d.score()).append(", ")
                        .append(d.x()).append(", ").append(d.y()).append(", ").append(d.width()).append(", ")
                        .append(d.height()).append(']');
            }
            sb.append(']').append(++i < frames.size() ? "," : "").append('\n');
        }
        sb.append("  }\n}\n");
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, sb.toString(), StandardCharsets.UTF_8);
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

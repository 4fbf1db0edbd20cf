package io.edgetune.annotator.review.internal;

import io.edgetune.api.annotate.AnnotatorService;
import io.edgetune.api.annotate.DatasetSummary;
import io.edgetune.api.annotate.LabelBox;
import io.edgetune.api.annotate.ReviewItem;
import io.edgetune.api.annotate.TrainingStatus;
import io.edgetune.api.annotate.Verdict;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import java.util.stream.Stream;

/**
 * Test stand-in for the annotator's service (its implementation in
 * bundles/cloud/annotator did not exist yet): datasets kept in a directory, one per
 * gateway/camera, with the JPEGs as uploaded, the teacher's and the gateway's
 * boxes in frames.tsv and the verdicts in verdicts.properties (rewritten on
 * every review, so a new instance on the same directory sees them).
 * Retraining rounds are whatever the test scripts.
 */
final class DirectoryAnnotatorService implements AnnotatorService {

    static final int WIDTH = 768;
    static final int HEIGHT = 576;
    private static final List<String> RUNNING = List.of("EXTRACTING", "TRAINING", "EVALUATING", "DELIVERING");

    /** One frame of a dataset as the directory stores it. */
    record StoredFrame(long id, long timestampMillis, long sequence, String split, List<LabelBox> teacher, List<LabelBox> edge) {
    }

    private static final class Dataset {
        final String gateway;
        final String camera;
        final Path dir;
        final TreeMap<Long, StoredFrame> frames = new TreeMap<>();
        final Map<Long, Verdict> verdicts = new TreeMap<>();

        Dataset(String gateway, String camera, Path dir) {
            this.gateway = gateway;
            this.camera = camera;
            this.dir = dir;
        }
    }

    final Path root;
    private final Map<String, Dataset> datasets = new TreeMap<>();
    private volatile TrainingStatus training = TrainingStatus.idle();
    private volatile BiFunction<String, String, TrainingStatus> roundStarter =
            (g, c) -> new TrainingStatus("EXTRACTING", g, c, 0, 0, Double.NaN, -1, System.currentTimeMillis(),
                    System.currentTimeMillis(), Map.of(), null, "extracting the dataset");
    final List<String> trainingRequests = new CopyOnWriteArrayList<>();

    /** Reads every dataset under {@code root} (as written by {@link #addFrame}). */
    DirectoryAnnotatorService(Path root) throws IOException {
        this.root = root;
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> gateways = Files.list(root)) {
            for (Path g : gateways.sorted().toList()) {
                try (Stream<Path> cameras = Files.list(g)) {
                    for (Path c : cameras.sorted().toList()) {
                        load(g.getFileName().toString(), c);
                    }
                }
            }
        }
    }

    private void load(String gatewayDir, Path dir) throws IOException {
        Dataset d = new Dataset(decode(gatewayDir), decode(dir.getFileName().toString()), dir);
        for (String line : Files.readAllLines(dir.resolve("frames.tsv"), StandardCharsets.UTF_8)) {
            String[] f = line.split("\t", -1);
            StoredFrame frame = new StoredFrame(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]), f[3],
                    parseBoxes(f[4]), parseBoxes(f[5]));
            d.frames.put(frame.id(), frame);
        }
        Path verdicts = dir.resolve("verdicts.properties");
        if (Files.exists(verdicts)) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(verdicts, StandardCharsets.UTF_8)) {
                p.load(r);
            }
            for (String id : p.stringPropertyNames()) {
                d.verdicts.put(Long.parseLong(id), Verdict.valueOf(p.getProperty(id)));
            }
        }
        datasets.put(key(d.gateway, d.camera), d);
    }

    /** Appends a frame (its JPEG and its boxes) to a dataset directory under {@code root}. */
    static void addFrame(Path root, String gateway, String camera, StoredFrame frame, byte[] jpeg) throws IOException {
        Path dir = root.resolve(encode(gateway)).resolve(encode(camera));
        Files.createDirectories(dir);
        Files.write(dir.resolve(frame.id() + ".jpg"), jpeg);
        String line = frame.id() + "\t" + frame.timestampMillis() + "\t" + frame.sequence() + "\t" + frame.split() + "\t"
                + formatBoxes(frame.teacher()) + "\t" + formatBoxes(frame.edge()) + "\n";
        Files.writeString(dir.resolve("frames.tsv"), line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    // ---- AnnotatorService ----

    @Override
    public synchronized List<DatasetSummary> datasets() {
        List<DatasetSummary> out = new ArrayList<>();
        for (Dataset d : datasets.values()) {
            int train = 0;
            int val = 0;
            int accepted = 0;
            int rejected = 0;
            Map<String, Integer> perClass = new TreeMap<>();
            for (StoredFrame f : d.frames.values()) {
                Verdict v = d.verdicts.getOrDefault(f.id(), Verdict.PENDING);
                if (v == Verdict.ACCEPTED) {
                    accepted++;
                }
                if (v == Verdict.REJECTED) {
                    rejected++;
                    continue;
                }
                if (f.split().equals("train")) {
                    train++;
                } else if (f.split().equals("val")) {
                    val++;
                }
                for (LabelBox b : f.teacher()) {
                    perClass.merge(b.label(), 1, Integer::sum);
                }
            }
            out.add(new DatasetSummary(d.gateway, d.camera, d.frames.size(), train, val, accepted, rejected, perClass, "edge-v1"));
        }
        return out;
    }

    @Override
    public synchronized List<ReviewItem> items(String gateway, String camera, int offset, int limit) {
        Dataset d = datasets.get(key(gateway, camera));
        if (d == null) {
            return List.of();
        }
        List<StoredFrame> newestFirst = new ArrayList<>(d.frames.values());
        newestFirst.sort(Comparator.comparingLong(StoredFrame::timestampMillis).reversed());
        List<ReviewItem> out = new ArrayList<>();
        for (int i = offset; i < newestFirst.size() && out.size() < limit; i++) {
            StoredFrame f = newestFirst.get(i);
            out.add(new ReviewItem(f.id(), f.timestampMillis(), f.sequence(), WIDTH, HEIGHT, f.split(),
                    d.verdicts.getOrDefault(f.id(), Verdict.PENDING), f.teacher(), f.edge()));
        }
        return out;
    }

    @Override
    public Optional<byte[]> image(String gateway, String camera, long imageId) throws IOException {
        Path file;
        synchronized (this) {
            Dataset d = datasets.get(key(gateway, camera));
            if (d == null || !d.frames.containsKey(imageId)) {
                return Optional.empty();
            }
            file = d.dir.resolve(imageId + ".jpg");
        }
        return Optional.of(Files.readAllBytes(file));
    }

    @Override
    public synchronized void review(String gateway, String camera, long imageId, Verdict verdict) throws IOException {
        Dataset d = datasets.get(key(gateway, camera));
        if (d == null) {
            throw new IllegalArgumentException("no dataset " + gateway + "/" + camera);
        }
        if (!d.frames.containsKey(imageId)) {
            throw new IllegalArgumentException("no image " + imageId + " in " + gateway + "/" + camera);
        }
        d.verdicts.put(imageId, verdict);
        Properties p = new Properties();
        for (Map.Entry<Long, Verdict> e : d.verdicts.entrySet()) {
            p.setProperty(Long.toString(e.getKey()), e.getValue().name());
        }
        Path tmp = d.dir.resolve("verdicts.properties.tmp");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            p.store(w, null);
        }
        Files.move(tmp, d.dir.resolve("verdicts.properties"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public synchronized boolean requestTraining(String gateway, String camera) {
        if (RUNNING.contains(training.state())) {
            return false;
        }
        trainingRequests.add(gateway + "/" + camera);
        training = roundStarter.apply(gateway, camera);
        return true;
    }

    @Override
    public TrainingStatus training() {
        return training;
    }

    void setTraining(TrainingStatus t) {
        training = t;
    }

    void onTrainingRequest(BiFunction<String, String, TrainingStatus> starter) {
        roundStarter = starter;
    }

    // ---- storage ----

    private static String key(String gateway, String camera) {
        return gateway + '\u0000' + camera;
    }

    /** Gateway and camera ids may hold any character ('/', '<' ...): directory names are their base64url. */
    private static String encode(String id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(id.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String name) {
        return new String(Base64.getUrlDecoder().decode(name), StandardCharsets.UTF_8);
    }

    private static String formatBoxes(List<LabelBox> boxes) {
        StringBuilder s = new StringBuilder();
        for (LabelBox b : boxes) {
            if (s.length() > 0) {
                s.append(';');
            }
            s.append(String.format(Locale.ROOT, "%s,%.1f,%.1f,%.1f,%.1f,%.3f", b.label(), b.x(), b.y(), b.width(), b.height(), b.score()));
        }
        return s.toString();
    }

    private static List<LabelBox> parseBoxes(String s) {
        List<LabelBox> out = new ArrayList<>();
        if (s.isEmpty()) {
            return out;
        }
        for (String box : s.split(";")) {
            String[] v = box.split(",");
            out.add(new LabelBox(v[0], Float.parseFloat(v[1]), Float.parseFloat(v[2]), Float.parseFloat(v[3]),
                    Float.parseFloat(v[4]), Float.parseFloat(v[5])));
        }
        return out;
    }
}

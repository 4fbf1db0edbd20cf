package io.edgetune.annotator.internal;

import com.google.gson.stream.JsonWriter;
import io.edgetune.api.annotate.LabelBox;
import io.edgetune.api.annotate.StaleRevisionException;
import io.edgetune.api.annotate.Verdict;
import io.edgetune.api.detect.Detection;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One camera's labelled samples, kept as a COCO dataset:
 * <pre>
 * {dir}/images/{timestamp}-{sequence}.jpg      the JPEG as uploaded
 * {dir}/annotations/instances_train.json       COCO, training split
 * {dir}/annotations/instances_val.json         COCO, validation split
 * {dir}/samples.log                            append-only record of every sample and its labels
 * {dir}/labels.txt                             the label map the category ids index
 * {dir}/human.log                              append-only record of the boxes people stored (one line per save)
 * </pre>
 * Ids are assigned in arrival order and written to the log, and the JSON files
 * are regenerated from the log, so adding samples never changes an existing
 * image or annotation id. The same sample delivered twice (MQTT is
 * at-least-once) is recognised by camera timestamp and sequence and kept once.
 * Not thread safe: one writer per camera.
 */
public final class CocoDataset {

    private static final Logger LOG = LoggerFactory.getLogger(CocoDataset.class);
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}");
    static final String TRAIN_JSON = "instances_train.json";
    static final String VAL_JSON = "instances_val.json";

    /**
     * One labelled sample as recorded in the log: the teacher's boxes and the
     * boxes the gateway reported for the frame (empty when the sample had none).
     * An edge box's annotation id is the gateway's track id of that box (0: not
     * tracked; logs written before track ids existed hold 0 there).
     */
    public record Sample(long imageId, String fileName, long timestampMillis, long sequence, int width, int height,
                         List<Annotation> annotations, List<Annotation> edge) {

        public Sample(long imageId, String fileName, long timestampMillis, long sequence, int width, int height,
                      List<Annotation> annotations) {
            this(imageId, fileName, timestampMillis, sequence, width, height, annotations, List.of());
        }
    }

    /** One box: COCO bbox [x, y, w, h] in pixels, category id = label map index. */
    public record Annotation(long id, int categoryId, float x, float y, float width, float height, float score) {
    }

    private final Path dir;
    private final String cameraId;
    private final List<String> labels;
    private final SplitRule rule;
    private final List<Sample> samples = new ArrayList<>();
    private final Map<String, Sample> byFile = new HashMap<>();
    private final Map<Long, Verdict> verdicts = new HashMap<>();
    private final Map<Long, Human> human = new HashMap<>();
    private volatile LabelPolicy policy;
    private long nextAnnotationId = 1;

    /**
     * How the exported labels are derived from the teacher's stored boxes: boxes
     * at or above {@code finalThreshold} stay; weaker ones only when the
     * {@link TemporalCheck} confirms them with a neighbouring sample at most
     * {@code maxGapMillis} away; objects both neighbours see are filled in.
     */
    public record LabelPolicy(float finalThreshold, float matchIou, long maxGapMillis) {
    }

    /**
     * Labels of one sample as exported (the policy applied, rejected samples excluded by the caller).
     *
     * @param reviewed true when the labels are a person's boxes (they replace the teacher's), false for the teacher's
     * @param teacher  the teacher's labels (the policy applied): {@code labels} unless reviewed
     */
    /** @param byTrack teacher boxes kept only because the gateway's tracker followed the object into a neighbour */
    public record Labelled(Sample sample, List<Detection> labels, Verdict verdict, boolean reviewed, List<Detection> teacher,
                           int byTrack) {
    }

    /** The boxes a person stored for an image: the latest revision (1, 2, ...) and its boxes (ids unused, score 1). */
    public record Human(int revision, long savedMillis, List<Annotation> boxes) {
    }

    /** Most boxes one person's save may hold. */
    public static final int MAX_HUMAN_BOXES = 300;
    /** Ids of people's boxes in the COCO files: derived from the image, above the filled-in ones. */
    private static final long HUMAN_ID_BASE = 1L << 41;

    /** Ids of filled-in boxes: stable (derived from the image), far above the ids of stored boxes. */
    private static final long FILLED_ID_BASE = 1L << 40;

    private CocoDataset(Path dir, String cameraId, List<String> labels, SplitRule rule) {
        this.dir = dir;
        this.cameraId = cameraId;
        this.labels = List.copyOf(labels);
        this.rule = rule;
    }

    /** Opens (or creates) the dataset of a camera under root/{cameraId}. */
    public static CocoDataset open(Path root, String cameraId, List<String> labels, SplitRule rule) throws IOException {
        if (cameraId == null || !SAFE_ID.matcher(cameraId).matches() || cameraId.equals("..")) {
            throw new IllegalArgumentException("camera id unusable as a directory name: '" + cameraId + "'");
        }
        if (labels.size() < 2) {
            throw new IllegalArgumentException("label map needs the background entry and at least one class: " + labels);
        }
        CocoDataset d = new CocoDataset(root.resolve(cameraId), cameraId, labels, rule);
        d.load();
        return d;
    }

    private void load() throws IOException {
        Files.createDirectories(dir.resolve("images"));
        Files.createDirectories(dir.resolve("annotations"));
        Path labelFile = dir.resolve("labels.txt");
        String labelText = String.join("\n", labels) + "\n";
        if (Files.exists(labelFile)) {
            String existing = Files.readString(labelFile, StandardCharsets.UTF_8);
            if (!existing.equals(labelText)) {
                throw new IOException("dataset " + dir + " was built with another label map; category ids would not match");
            }
        } else {
            writeAtomically(labelFile, labelText);
        }
        // reviews.log: imageId \t VERDICT \t epoch ms, one line per verdict given, the last one wins
        Path reviews = dir.resolve("reviews.log");
        readLog(reviews, (lineNo, line) -> {
            String[] f = line.split("\t");
            try {
                verdicts.put(Long.parseLong(f[0]), Verdict.valueOf(f[1]));
            } catch (RuntimeException e) {
                // one bad line must not hide the other verdicts
                LOG.warn("{} line {} ignored (unreadable): {}", reviews, lineNo, line);
            }
        });
        // human.log: imageId \t revision \t epoch ms \t boxes (category,x,y,w,h;...), the highest revision wins
        Path people = dir.resolve("human.log");
        readLog(people, (lineNo, line) -> {
            String[] f = line.split("\t", -1);
            try {
                long id = Long.parseLong(f[0]);
                Human h = new Human(Integer.parseInt(f[1]), Long.parseLong(f[2]), parseHumanBoxes(f[3]));
                human.merge(id, h, (a, b) -> b.revision() >= a.revision() ? b : a);
            } catch (RuntimeException e) {
                LOG.warn("{} line {} ignored (unreadable): {}", people, lineNo, line);
            }
        });
        Path log = dir.resolve("samples.log");
        readLog(log, (lineNo, line) -> {
            if (line.isBlank()) {
                return;
            }
            try {
                Sample s = parse(line);
                samples.add(s);
                byFile.put(s.fileName(), s);
                for (Annotation a : s.annotations()) {
                    nextAnnotationId = Math.max(nextAnnotationId, a.id() + 1);
                }
            } catch (RuntimeException e) {
                throw new IOException(log + " line " + lineNo + " is unreadable (" + e.getMessage() + "): " + line, e);
            }
        });
    }

    private interface LineHandler {
        void line(int lineNo, String line) throws IOException;
    }

    /** Every complete line of an append-only log (a torn last record cut off first); nothing when it does not exist. */
    private static void readLog(Path log, LineHandler handler) throws IOException {
        if (!Files.exists(log)) {
            return;
        }
        dropTornTail(log);
        int lineNo = 0;
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            handler.line(++lineNo, line);
        }
    }

    /** Sets the policy that derives the exported labels from the stored teacher boxes; null exports them as stored. */
    public void labelPolicy(LabelPolicy p) {
        this.policy = p;
    }

    /** Records a person's verdict on an image and rewrites the COCO files (rejected images leave them). */
    public synchronized void review(long imageId, Verdict verdict) throws IOException {
        if (samples.stream().noneMatch(s -> s.imageId() == imageId)) {
            throw new IllegalArgumentException("no image " + imageId + " in the dataset of " + cameraId);
        }
        append(dir.resolve("reviews.log"), imageId + "\t" + verdict.name() + "\t" + System.currentTimeMillis());
        verdicts.put(imageId, verdict);
        export();
    }

    public Verdict verdict(long imageId) {
        return verdicts.getOrDefault(imageId, Verdict.PENDING);
    }

    /** The boxes a person stored for the image, if any. */
    public synchronized Optional<Human> human(long imageId) {
        return Optional.ofNullable(human.get(imageId));
    }

    /**
     * Stores a person's boxes for an image (appended to {@code human.log}) and rewrites the COCO files: from now on
     * they are the image's labels in training and evaluation. Boxes must lie inside the frame (refused, not
     * clipped: the page never sends one outside, so such a box is a client error worth saying), be at least one
     * pixel wide and high, and name a class of the label map (not the background).
     *
     * @param revision the revision the person edited (0 for the teacher's labels)
     * @return the new revision
     * @throws NoSuchElementException   for an unknown image
     * @throws IllegalArgumentException for a refused box (the message says which and why)
     * @throws StaleRevisionException   when the image's revision is no longer {@code revision}
     */
    public synchronized int saveHuman(long imageId, int revision, List<LabelBox> boxes) throws IOException {
        Sample s = samples.stream().filter(x -> x.imageId() == imageId).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no image " + imageId + " in the dataset of " + cameraId));
        Human now = human.get(imageId);
        int current = now == null ? 0 : now.revision();
        if (revision != current) {
            throw new StaleRevisionException("frame " + imageId + " was changed by someone else (it is at revision " + current
                    + ", you edited revision " + revision + "): reload it to see their boxes, then edit again", current);
        }
        if (boxes.size() > MAX_HUMAN_BOXES) {
            throw new IllegalArgumentException(boxes.size() + " boxes on one frame; at most " + MAX_HUMAN_BOXES);
        }
        List<Annotation> anns = new ArrayList<>(boxes.size());
        for (int k = 0; k < boxes.size(); k++) {
            LabelBox b = boxes.get(k);
            String what = "box " + (k + 1);
            int c = b.label() == null ? -1 : labels.indexOf(b.label());
            if (c < 1) {
                throw new IllegalArgumentException(what + ": unknown class '" + b.label() + "'; the model's classes are "
                        + labels.subList(1, labels.size()));
            }
            if (!Float.isFinite(b.x()) || !Float.isFinite(b.y()) || !Float.isFinite(b.width()) || !Float.isFinite(b.height())) {
                throw new IllegalArgumentException(what + " (" + b.label() + ") has a coordinate that is not a number");
            }
            float x = tenths(b.x());
            float y = tenths(b.y());
            float w = tenths(b.width());
            float h = tenths(b.height());
            if (w < 1 || h < 1) {
                throw new IllegalArgumentException(what + " (" + b.label() + ") is smaller than a pixel (" + w + " x " + h + ")");
            }
            if (x < 0 || y < 0 || x + w > s.width() || y + h > s.height()) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s (%s) at x %.1f y %.1f, %.1f x %.1f lies outside the %d x %d frame", what, b.label(), x, y, w, h,
                        s.width(), s.height()));
            }
            anns.add(new Annotation(0, c, x, y, w, h, 1f));
        }
        Human h = new Human(current + 1, System.currentTimeMillis(), List.copyOf(anns));
        StringBuilder line = new StringBuilder(32 + anns.size() * 32);
        line.append(imageId).append('\t').append(h.revision()).append('\t').append(h.savedMillis()).append('\t');
        for (int k = 0; k < anns.size(); k++) {
            Annotation a = anns.get(k);
            line.append(k > 0 ? ";" : "").append(a.categoryId()).append(',')
                    .append(String.format(Locale.ROOT, "%.1f,%.1f,%.1f,%.1f", a.x(), a.y(), a.width(), a.height()));
        }
        append(dir.resolve("human.log"), line.toString());
        human.put(imageId, h);
        export();
        return h.revision();
    }

    private static List<Annotation> parseHumanBoxes(String field) {
        List<Annotation> out = new ArrayList<>();
        if (!field.isEmpty()) {
            for (String a : field.split(";")) {
                String[] v = a.split(",");
                if (v.length != 5) {
                    throw new IllegalArgumentException("box '" + a + "' needs 5 values");
                }
                out.add(new Annotation(0, Integer.parseInt(v[0]), Float.parseFloat(v[1]), Float.parseFloat(v[2]),
                        Float.parseFloat(v[3]), Float.parseFloat(v[4]), 1f));
            }
        }
        return List.copyOf(out);
    }

    /**
     * The samples of a split (all splits when null) in time order with their
     * labels as exported; rejected samples are left out unless asked for.
     */
    public synchronized List<Labelled> labelled(SplitRule.Split split, boolean includeRejected) {
        List<Sample> ordered = new ArrayList<>(samples);
        ordered.sort(Comparator.comparingLong(Sample::timestampMillis).thenComparingLong(Sample::sequence));
        LabelPolicy p = policy;
        TemporalCheck check = p == null ? null : new TemporalCheck(p.finalThreshold(), p.matchIou());
        List<Labelled> out = new ArrayList<>();
        for (int i = 0; i < ordered.size(); i++) {
            Sample s = ordered.get(i);
            Verdict v = verdict(s.imageId());
            if ((split != null && rule.splitOf(s.timestampMillis()) != split) || (!includeRejected && v == Verdict.REJECTED)) {
                continue;
            }
            List<Detection> own = detections(s.annotations());
            List<Detection> labels;
            int byTrack = 0;
            if (check == null) {
                labels = own;
            } else {
                Sample prev = i > 0 ? ordered.get(i - 1) : null;
                Sample next = i + 1 < ordered.size() ? ordered.get(i + 1) : null;
                List<Detection> before = prev != null && s.timestampMillis() - prev.timestampMillis() <= p.maxGapMillis()
                        ? detections(prev.annotations()) : null;
                List<Detection> after = next != null && next.timestampMillis() - s.timestampMillis() <= p.maxGapMillis()
                        ? detections(next.annotations()) : null;
                TemporalCheck.Result r = check.apply(before, own, after,
                        tracks(s, before != null ? prev : null, after != null ? next : null));
                labels = r.labels();
                byTrack = r.byTrack();
            }
            // a person's boxes take precedence over whatever the teacher and the temporal check say
            Human person = human.get(s.imageId());
            out.add(new Labelled(s, person != null ? detections(person.boxes()) : labels, v, person != null, labels, byTrack));
        }
        return out;
    }

    /** The gateway's tracked boxes of a sample and the track ids of its neighbours (null: not looked at). */
    private TemporalCheck.Tracks tracks(Sample s, Sample prev, Sample next) {
        Set<Long> around = new HashSet<>();
        for (Sample n : new Sample[] {prev, next}) {
            if (n != null) {
                n.edge().forEach(a -> {
                    if (a.id() > 0) {
                        around.add(a.id());
                    }
                });
            }
        }
        long[] ids = new long[s.edge().size()];
        for (int k = 0; k < ids.length; k++) {
            ids[k] = s.edge().get(k).id();
        }
        return new TemporalCheck.Tracks(detections(s.edge()), ids, around);
    }

    /** Stored boxes as detections; the annotation id travels in nothing, so {@link #coco} matches them back by geometry. */
    List<Detection> detections(List<Annotation> anns) {
        List<Detection> out = new ArrayList<>(anns.size());
        for (Annotation a : anns) {
            out.add(new Detection(a.categoryId(), labels.get(a.categoryId()), a.score(), a.x(), a.y(), a.width(), a.height()));
        }
        return out;
    }

    public List<String> labels() {
        return labels;
    }

    public String cameraId() {
        return cameraId;
    }

    /**
     * A crash in the middle of an append leaves a last line without its newline:
     * that sample was never reported as added, so it is cut off (the sender's
     * retry adds it again).
     */
    private static void dropTornTail(Path log) throws IOException {
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            long keep = size;
            ByteBuffer one = ByteBuffer.allocate(1);
            while (keep > 0) {
                one.clear();
                ch.read(one, keep - 1);
                if (one.get(0) == '\n') {
                    break;
                }
                keep--;
            }
            if (keep < size) {
                LOG.warn("{}: dropping a torn last record of {} bytes left by an interrupted write", log, size - keep);
                ch.truncate(keep);
            }
        }
    }

    /**
     * Adds a sample with its labels (boxes clipped to the image; classes outside
     * the label map refused) and rewrites the COCO files. Returns the recorded
     * sample; a sample already present is returned as it was, unchanged.
     */
    public Sample add(long timestampMillis, long sequence, int width, int height, byte[] jpeg, List<Detection> found)
            throws IOException {
        return add(timestampMillis, sequence, width, height, jpeg, found, List.of());
    }

    /** As {@link #add(long, long, int, int, byte[], List)}, also keeping the gateway's own boxes for the frame. */
    public Sample add(long timestampMillis, long sequence, int width, int height, byte[] jpeg, List<Detection> found,
                      List<Detection> edgeBoxes) throws IOException {
        return add(timestampMillis, sequence, width, height, jpeg, found, edgeBoxes, new long[edgeBoxes.size()]);
    }

    /** As above, with the gateway's track id of each of its boxes (parallel to edgeBoxes; 0: not tracked). */
    public synchronized Sample add(long timestampMillis, long sequence, int width, int height, byte[] jpeg, List<Detection> found,
                      List<Detection> edgeBoxes, long[] edgeTracks) throws IOException {
        if (edgeTracks.length != edgeBoxes.size()) {
            throw new IllegalArgumentException(edgeBoxes.size() + " gateway boxes but " + edgeTracks.length + " track ids");
        }
        if (width <= 0 || height <= 0 || jpeg == null || jpeg.length < 4 || (jpeg[0] & 0xff) != 0xff || (jpeg[1] & 0xff) != 0xd8) {
            throw new IllegalArgumentException("sample " + cameraId + "/" + sequence + " is not a JPEG of a positive size ("
                    + width + "x" + height + ", " + (jpeg == null ? 0 : jpeg.length) + " bytes)");
        }
        String file = timestampMillis + "-" + sequence + ".jpg";
        Sample known = byFile.get(file);
        if (known != null) {
            return known;
        }
        List<Annotation> anns = new ArrayList<>(found.size());
        long annId = nextAnnotationId;
        for (Detection d : found) {
            if (d.classId() <= 0 || d.classId() >= labels.size()) {
                throw new IllegalArgumentException("class id " + d.classId() + " (" + d.label() + ") is not in the label map of "
                        + (labels.size() - 1) + " classes");
            }
            Annotation a = clipped(annId, d, width, height);
            if (a != null) {
                anns.add(a);
                annId++;
            }
        }
        List<Annotation> edge = new ArrayList<>(edgeBoxes.size());
        for (int i = 0; i < edgeBoxes.size(); i++) {
            Detection d = edgeBoxes.get(i);
            // the gateway may run another label map: its boxes are shown, never trained on, so unknown ones are skipped
            Annotation a = d.classId() > 0 && d.classId() < labels.size() ? clipped(Math.max(0, edgeTracks[i]), d, width, height) : null;
            if (a != null) {
                edge.add(a);
            }
        }
        long imageId = samples.isEmpty() ? 1 : samples.get(samples.size() - 1).imageId() + 1;
        Sample s = new Sample(imageId, file, timestampMillis, sequence, width, height, List.copyOf(anns), List.copyOf(edge));
        Path image = dir.resolve("images").resolve(file);
        Path tmp = image.resolveSibling(file + ".tmp");
        Files.write(tmp, jpeg);
        Files.move(tmp, image, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        appendToLog(format(s));
        samples.add(s);
        byFile.put(file, s);
        nextAnnotationId = annId;
        export();
        return s;
    }

    /** The box clipped to the image and rounded as the log stores it (so a reopened dataset holds exactly this), or null when empty. */
    private static Annotation clipped(long id, Detection d, int width, int height) {
        float x = tenths(clamp(d.x(), width));
        float y = tenths(clamp(d.y(), height));
        float w = tenths(clamp(d.right(), width) - x);
        float h = tenths(clamp(d.bottom(), height) - y);
        return w >= 1 && h >= 1 ? new Annotation(id, d.classId(), x, y, w, h, Math.round(d.score() * 1000) / 1000f) : null;
    }

    private static float tenths(float v) {
        return Math.round(v * 10) / 10f;
    }

    private static float clamp(float v, int max) {
        return Math.max(0, Math.min(v, max));
    }

    private void appendToLog(String line) throws IOException {
        append(dir.resolve("samples.log"), line);
    }

    private static void append(Path file, String line) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ByteBuffer b = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(false);
        }
    }

    /** Rewrites both COCO files from the recorded samples. */
    public synchronized void export() throws IOException {
        for (SplitRule.Split split : new SplitRule.Split[] {SplitRule.Split.TRAIN, SplitRule.Split.VAL}) {
            writeAtomically(dir.resolve("annotations").resolve(split == SplitRule.Split.TRAIN ? TRAIN_JSON : VAL_JSON), coco(split));
        }
    }

    /** The COCO document of one split. */
    String coco(SplitRule.Split split) {
        StringWriter sw = new StringWriter(4096 + samples.size() * 256);
        try (JsonWriter j = new JsonWriter(sw)) {
            j.beginObject();
            j.name("info").beginObject()
                    .name("description").value("EdgeTune teacher labels of camera " + cameraId + ", " + split.key() + " split")
                    .name("version").value("1")
                    .name("split_rule").value("time blocks of " + rule.blockMillis() + " ms, 1 block in " + rule.validationEvery()
                            + " to validation, no sample within " + rule.guardMillis() + " ms of the other split")
                    .endObject();
            List<Labelled> chosen = labelled(split, false);
            j.name("images").beginArray();
            for (Labelled l : chosen) {
                Sample s = l.sample();
                j.beginObject().name("id").value(s.imageId()).name("file_name").value(s.fileName()).name("width").value(s.width())
                        .name("height").value(s.height())
                        .name("date_captured").value(Instant.ofEpochMilli(s.timestampMillis()).toString())
                        .name("camera_id").value(cameraId).name("timestamp_ms").value(s.timestampMillis())
                        .name("frame_sequence").value(s.sequence())
                        .name("review").value(l.verdict().name().toLowerCase(Locale.ROOT))
                        .name("labelled_by").value(l.reviewed() ? "person" : "teacher");
                if (l.byTrack() > 0 && !l.reviewed()) {
                    // weak teacher boxes kept because the gateway's tracker followed the object (written only then)
                    j.name("kept_by_track").value(l.byTrack());
                }
                j.endObject();
            }
            j.endArray();
            j.name("annotations").beginArray();
            for (Labelled l : chosen) {
                Sample s = l.sample();
                int filled = 0;
                for (Detection d : l.labels()) {
                    long id = l.reviewed() ? HUMAN_ID_BASE + s.imageId() * 1000 + filled++ : storedId(s, d);
                    if (id < 0) {
                        id = FILLED_ID_BASE + s.imageId() * 1000 + filled++;
                    }
                    j.beginObject().name("id").value(id).name("image_id").value(s.imageId()).name("category_id").value(d.classId());
                    j.name("bbox").beginArray();
                    tenths(j, d.x());
                    tenths(j, d.y());
                    tenths(j, d.width());
                    tenths(j, d.height());
                    j.endArray();
                    tenths(j.name("area"), d.width() * (double) d.height());
                    j.name("iscrowd").value(0);
                    j.name("score").value(Math.round(finite(d.score()) * 1000) / 1000.0);
                    j.endObject();
                }
            }
            j.endArray();
            j.name("categories").beginArray();
            for (int i = 1; i < labels.size(); i++) {
                j.beginObject().name("id").value(i).name("name").value(labels.get(i)).name("supercategory").value("object").endObject();
            }
            j.endArray();
            j.endObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return sw.toString();
    }

    /** Pixels rounded to one decimal, whole numbers without one: boxes need no more. */
    private static void tenths(JsonWriter j, double d) throws IOException {
        long tenths = Math.round(finite(d) * 10);
        if (tenths % 10 == 0) {
            j.value(tenths / 10);
        } else {
            j.value(tenths / 10.0);
        }
    }

    private static double finite(double d) {
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException("JSON has no " + d);
        }
        return d;
    }

    /** The id of the stored box this label is, or -1 for a box the temporal check filled in. */
    private static long storedId(Sample s, Detection d) {
        for (Annotation a : s.annotations()) {
            if (a.categoryId() == d.classId() && a.x() == d.x() && a.y() == d.y() && a.width() == d.width()
                    && a.height() == d.height() && a.score() == d.score()) {
                return a.id();
            }
        }
        return -1;
    }

    private static void writeAtomically(Path target, String text) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    // log line: imageId \t file \t timestamp \t sequence \t width \t height \t teacher boxes \t edge boxes,
    // boxes as id,category,x,y,w,h,score;... (the edge field is absent in logs written before it existed)
    private static String format(Sample s) {
        StringBuilder b = new StringBuilder(64 + (s.annotations().size() + s.edge().size()) * 40);
        b.append(s.imageId()).append('\t').append(s.fileName()).append('\t').append(s.timestampMillis()).append('\t')
                .append(s.sequence()).append('\t').append(s.width()).append('\t').append(s.height()).append('\t');
        formatBoxes(b, s.annotations());
        b.append('\t');
        formatBoxes(b, s.edge());
        return b.toString();
    }

    private static void formatBoxes(StringBuilder b, List<Annotation> boxes) {
        for (int i = 0; i < boxes.size(); i++) {
            Annotation a = boxes.get(i);
            if (i > 0) {
                b.append(';');
            }
            b.append(a.id()).append(',').append(a.categoryId()).append(',')
                    .append(String.format(Locale.ROOT, "%.1f,%.1f,%.1f,%.1f,%.3f", a.x(), a.y(), a.width(), a.height(), a.score()));
        }
    }

    private static Sample parse(String line) {
        String[] f = line.split("\t", -1);
        if (f.length != 7 && f.length != 8) {
            throw new IllegalArgumentException("expected 7 or 8 tab-separated fields, found " + f.length);
        }
        return new Sample(Long.parseLong(f[0]), f[1], Long.parseLong(f[2]), Long.parseLong(f[3]), Integer.parseInt(f[4]),
                Integer.parseInt(f[5]), parseBoxes(f[6]), f.length == 8 ? parseBoxes(f[7]) : List.of());
    }

    private static List<Annotation> parseBoxes(String field) {
        List<Annotation> anns = new ArrayList<>();
        if (!field.isEmpty()) {
            for (String a : field.split(";")) {
                String[] v = a.split(",");
                if (v.length != 7) {
                    throw new IllegalArgumentException("annotation '" + a + "' needs 7 values");
                }
                anns.add(new Annotation(Long.parseLong(v[0]), Integer.parseInt(v[1]), Float.parseFloat(v[2]), Float.parseFloat(v[3]),
                        Float.parseFloat(v[4]), Float.parseFloat(v[5]), Float.parseFloat(v[6])));
            }
        }
        return List.copyOf(anns);
    }

    /** True when the sample (camera timestamp and sequence) is already recorded. */
    public synchronized boolean contains(long timestampMillis, long sequence) {
        return byFile.containsKey(timestampMillis + "-" + sequence + ".jpg");
    }

    public synchronized List<Sample> samples() {
        return List.copyOf(samples);
    }

    public Path directory() {
        return dir;
    }

    public SplitRule rule() {
        return rule;
    }
}

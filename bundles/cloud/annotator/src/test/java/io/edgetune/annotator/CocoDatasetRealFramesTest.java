package io.edgetune.annotator;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import com.google.gson.Gson;
import io.edgetune.annotator.internal.CocoDataset;
import io.edgetune.annotator.internal.Retrainer;
import io.edgetune.annotator.internal.SplitRule;
import io.edgetune.annotator.teacher.Teacher;
import io.edgetune.annotator.teacher.TeacherSettings;
import io.edgetune.api.annotate.LabelBox;
import io.edgetune.api.annotate.StaleRevisionException;
import io.edgetune.api.annotate.Verdict;
import io.edgetune.api.detect.Detection;
import io.edgetune.trainer.LabelledImage;
import io.edgetune.api.frame.Frame;
import io.edgetune.api.frame.FramePool;
import io.edgetune.inference.engine.DetectorSettings;
import io.edgetune.inference.engine.LoadedModel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/** Teacher labels of real frames written as a COCO dataset, read back and checked. */
public class CocoDatasetRealFramesTest {

    /** Reads the exported files as plain maps, lists and doubles. */
    private static final Gson GSON = new Gson();

    /** 10-second blocks, every 2nd to validation, 2 s guard; the video runs at 10 frames/s. */
    private static final SplitRule RULE = new SplitRule(10_000, 2, 2_000);
    private static final int[] FIRST = {20, 60, 100, 140, 180, 220};
    private static final int[] LATER = {260, 300, 340};

    private static LoadedModel model;
    private static FramePool pool;
    private static Teacher teacher;
    private static List<String> labels;
    private static final Map<Integer, List<Detection>> TEACHER_LABELS = new HashMap<>();
    private static final Map<Integer, byte[]> JPEGS = new HashMap<>();

    @BeforeClass
    public static void labelFrames() throws Exception {
        model = RealAssets.model();
        labels = RealAssets.labels();
        pool = new FramePool(2, RealAssets.WIDTH, RealAssets.HEIGHT);
        // all classes this time: the dataset keeps whatever the teacher labels
        teacher = new Teacher(RealAssets.detector(model, DetectorSettings.defaults().withScoreThreshold(0.3f)),
                TeacherSettings.defaults());
        int[] all = new int[FIRST.length + LATER.length];
        System.arraycopy(FIRST, 0, all, 0, FIRST.length);
        System.arraycopy(LATER, 0, all, FIRST.length, LATER.length);
        Map<Integer, byte[]> bgr = RealAssets.frames(all);
        for (int i : all) {
            Frame f = RealAssets.frame(pool, "plaza", i, millis(i), bgr.get(i));
            try {
                TEACHER_LABELS.put(i, teacher.label(f).finalLabels());
            } finally {
                f.release();
            }
            JPEGS.put(i, Render.jpeg(bgr.get(i), RealAssets.WIDTH, RealAssets.HEIGHT));
        }
    }

    @AfterClass
    public static void close() {
        model.close();
    }

    private static long millis(int frameIndex) {
        return 1_763_780_000_000L + 100L * frameIndex;
    }

    private static Path freshDir(String name) throws Exception {
        Path root = Paths.get("target/datasets/" + name);
        if (Files.exists(root)) {
            try (var walk = Files.walk(root)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return root;
    }

    private static void add(CocoDataset d, int... indices) throws Exception {
        for (int i : indices) {
            d.add(millis(i), i, RealAssets.WIDTH, RealAssets.HEIGHT, JPEGS.get(i), TEACHER_LABELS.get(i));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> read(Path cameraDir, String file) throws Exception {
        return (Map<String, Object>) GSON.fromJson(Files.readString(cameraDir.resolve("annotations").resolve(file), StandardCharsets.UTF_8), Map.class);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> doc, String key) {
        Object v = doc.get(key);
        assertNotNull("COCO file lacks '" + key + "'", v);
        return (List<Map<String, Object>>) v;
    }

    private static long num(Map<String, Object> o, String key) {
        Object v = o.get(key);
        assertTrue(key + " is not a number: " + o, v instanceof Double);
        double d = (Double) v;
        assertEquals(key + " is not whole: " + o, Math.rint(d), d, 0);
        return (long) d;
    }

    @Test
    public void teacherLabelsOfRealFramesMakeAValidCocoDatasetSplitByTime() throws Exception {
        Path root = freshDir("split");
        CocoDataset d = CocoDataset.open(root, "plaza", labels, RULE);
        add(d, FIRST);
        Path cam = root.resolve("plaza");
        Map<String, Long> imageIds = new HashMap<>();
        Set<Long> annotationIds = new HashSet<>();
        Map<String, SplitRule.Split> splitOfFile = new HashMap<>();
        int annotations = 0;
        for (SplitRule.Split split : new SplitRule.Split[] {SplitRule.Split.TRAIN, SplitRule.Split.VAL}) {
            Map<String, Object> doc = read(cam, "instances_" + split.key() + ".json");
            List<Map<String, Object>> cats = list(doc, "categories");
            assertEquals(labels.size() - 1, cats.size());
            for (Map<String, Object> c : cats) {
                assertEquals(labels.get((int) num(c, "id")), c.get("name"));
            }
            Map<Long, Map<String, Object>> images = new HashMap<>();
            for (Map<String, Object> img : list(doc, "images")) {
                String file = (String) img.get("file_name");
                long id = num(img, "id");
                assertTrue("image id " + id + " used twice", images.put(id, img) == null);
                assertTrue("file listed twice: " + file, imageIds.put(file, id) == null);
                assertEquals(split, RULE.splitOf(num(img, "timestamp_ms")));
                splitOfFile.put(file, split);
                assertEquals(RealAssets.WIDTH, num(img, "width"));
                assertEquals(RealAssets.HEIGHT, num(img, "height"));
                Mat decoded = opencv_imgcodecs.imread(cam.resolve("images").resolve(file).toString());
                assertEquals("image " + file + " does not decode to the frame size", RealAssets.WIDTH, decoded.cols());
                decoded.close();
            }
            for (Map<String, Object> a : list(doc, "annotations")) {
                annotations++;
                assertTrue("annotation id reused: " + a, annotationIds.add(num(a, "id")));
                Map<String, Object> img = images.get(num(a, "image_id"));
                assertNotNull("annotation points to an image outside this split: " + a, img);
                long cat = num(a, "category_id");
                assertTrue(cat >= 1 && cat < labels.size());
                @SuppressWarnings("unchecked")
                List<Object> bbox = (List<Object>) a.get("bbox");
                assertEquals(4, bbox.size());
                double x = (Double) bbox.get(0);
                double y = (Double) bbox.get(1);
                double w = (Double) bbox.get(2);
                double h = (Double) bbox.get(3);
                assertTrue("bbox outside the image: " + a, x >= 0 && y >= 0 && w >= 1 && h >= 1
                        && x + w <= RealAssets.WIDTH + 0.05 && y + h <= RealAssets.HEIGHT + 0.05);
                assertEquals(w * h, (Double) a.get("area"), w * h * 0.01 + 0.1);
                assertEquals(0L, num(a, "iscrowd"));
            }
        }
        // frames 100 (10.0 s) and 220 (22.0 s)... the rule decides; check what it must have done
        int expectedAnnotations = 0;
        int guarded = 0;
        for (int i : FIRST) {
            String file = millis(i) + "-" + i + ".jpg";
            SplitRule.Split s = RULE.splitOf(millis(i));
            if (s == SplitRule.Split.GUARD) {
                guarded++;
                assertFalse("guard sample " + file + " was exported", imageIds.containsKey(file));
                assertTrue("guard sample's image is still kept", Files.exists(cam.resolve("images").resolve(file)));
            } else {
                assertEquals(s, splitOfFile.get(file));
                expectedAnnotations += TEACHER_LABELS.get(i).size();
            }
        }
        assertEquals(expectedAnnotations, annotations);
        System.out.printf("dataset: %d samples, train %d, val %d, guard %d; %d annotations exported%n", FIRST.length,
                splitOfFile.values().stream().filter(s -> s == SplitRule.Split.TRAIN).count(),
                splitOfFile.values().stream().filter(s -> s == SplitRule.Split.VAL).count(), guarded, annotations);
        assertTrue("the chosen frames should land in both splits and the guard", splitOfFile.containsValue(SplitRule.Split.TRAIN)
                && splitOfFile.containsValue(SplitRule.Split.VAL) && guarded > 0);
        assertTrue("teacher labels expected on these frames", annotations > 10);
    }

    @Test
    @SuppressWarnings("unchecked")
    public void addingLaterKeepsIdsAndDuplicatesAreKeptOnce() throws Exception {
        Path root = freshDir("append");
        CocoDataset first = CocoDataset.open(root, "plaza", labels, RULE);
        add(first, FIRST);
        List<CocoDataset.Sample> before = first.samples();
        String trainBefore = Files.readString(root.resolve("plaza/annotations/instances_train.json"));

        // reopened later (a restart): same ids, then new samples get new ids after the old ones
        CocoDataset again = CocoDataset.open(root, "plaza", labels, RULE);
        assertEquals(before, again.samples());
        CocoDataset.Sample dup = again.add(millis(60), 60, RealAssets.WIDTH, RealAssets.HEIGHT, JPEGS.get(60), TEACHER_LABELS.get(60));
        assertEquals(before.get(1), dup);
        assertEquals(FIRST.length, again.samples().size());
        add(again, LATER);
        List<CocoDataset.Sample> after = again.samples();
        assertEquals(FIRST.length + LATER.length, after.size());
        assertEquals(before, after.subList(0, before.size()));
        long maxAnn = 0;
        for (CocoDataset.Sample s : before) {
            for (CocoDataset.Annotation a : s.annotations()) {
                maxAnn = Math.max(maxAnn, a.id());
            }
        }
        for (int k = before.size(); k < after.size(); k++) {
            assertEquals(k + 1, after.get(k).imageId());
            for (CocoDataset.Annotation a : after.get(k).annotations()) {
                assertTrue("new annotation id " + a.id() + " collides with old ones (max " + maxAnn + ")", a.id() > maxAnn);
            }
        }
        // old entries of the exported JSON keep their ids: the earlier train file's images are all still there
        Map<String, Object> oldTrain = (Map<String, Object>) GSON.fromJson(trainBefore, Map.class);
        Map<String, Object> newTrain = read(root.resolve("plaza"), "instances_train.json");
        List<Map<String, Object>> newImages = list(newTrain, "images");
        for (Map<String, Object> img : list(oldTrain, "images")) {
            assertTrue("image entry changed or vanished: " + img, newImages.contains(img));
        }
        List<Map<String, Object>> newAnns = list(newTrain, "annotations");
        for (Map<String, Object> a : list(oldTrain, "annotations")) {
            assertTrue("annotation changed or vanished: " + a, newAnns.contains(a));
        }
    }

    @Test
    public void tornLogTailIsDroppedAndBadInputRefused() throws Exception {
        Path root = freshDir("torn");
        CocoDataset d = CocoDataset.open(root, "plaza", labels, RULE);
        add(d, 20, 60);
        Path log = root.resolve("plaza/samples.log");
        Files.writeString(log, "3\t1763780010000-100.jpg\t17637", java.nio.file.StandardOpenOption.APPEND);
        CocoDataset reopened = CocoDataset.open(root, "plaza", labels, RULE);
        assertEquals(2, reopened.samples().size());
        add(reopened, 100);
        assertEquals(3, CocoDataset.open(root, "plaza", labels, RULE).samples().size());

        try {
            reopened.add(millis(140), 140, RealAssets.WIDTH, RealAssets.HEIGHT, "not a jpeg".getBytes(StandardCharsets.UTF_8), List.of());
            fail("accepted a non-JPEG body");
        } catch (IllegalArgumentException expected) {
            assertTrue(expected.getMessage(), expected.getMessage().contains("not a JPEG"));
        }
        try {
            reopened.add(millis(140), 140, RealAssets.WIDTH, RealAssets.HEIGHT, JPEGS.get(140),
                    List.of(new Detection(99, "Unicorn", 0.9f, 1, 1, 10, 10)));
            fail("accepted a class outside the label map");
        } catch (IllegalArgumentException expected) {
            assertTrue(expected.getMessage(), expected.getMessage().contains("label map"));
        }
        assertEquals("refused samples leave nothing behind", 3, reopened.samples().size());
        try {
            CocoDataset.open(root, "../escape", labels, RULE);
            fail("accepted a camera id that leaves the root");
        } catch (IllegalArgumentException expected) {
            assertTrue(expected.getMessage().contains("camera id"));
        }
        List<String> otherLabels = new ArrayList<>(labels);
        otherLabels.set(4, "Pedestrian");
        try {
            CocoDataset.open(root, "plaza", otherLabels, RULE);
            fail("reopened with another label map");
        } catch (java.io.IOException expected) {
            assertTrue(expected.getMessage().contains("label map"));
        }
    }

    /** A frame's boxes as the trainer gets them: label and pixels to one decimal. */
    private static List<String> described(List<Detection> boxes) {
        List<String> out = new ArrayList<>();
        for (Detection b : boxes) {
            out.add(String.format(java.util.Locale.ROOT, "%d %s %.1f %.1f %.1f %.1f", b.classId(), b.label(), b.x(), b.y(), b.width(), b.height()));
        }
        return out;
    }

    private static LabelledImage trainedOn(CocoDataset d, SplitRule.Split split, CocoDataset.Sample s) {
        return Retrainer.images(d, split).stream().filter(li -> li.jpeg().getFileName().toString().equals(s.fileName()))
                .findFirst().orElseThrow(() -> new AssertionError(s.fileName() + " not in the " + split + " set"));
    }

    @Test
    public void aPersonsBoxesReplaceTheTeachersInTrainingAndEvaluationAndSurviveAReopen() throws Exception {
        Path root = freshDir("human");
        CocoDataset d = CocoDataset.open(root, "plaza", labels, RULE);
        add(d, FIRST);
        CocoDataset.Sample train = null;
        CocoDataset.Sample val = null;
        for (CocoDataset.Sample s : d.samples()) {
            SplitRule.Split split = RULE.splitOf(s.timestampMillis());
            if (split == SplitRule.Split.TRAIN && train == null && s.annotations().size() >= 2) {
                train = s;
            } else if (split == SplitRule.Split.VAL && val == null && !s.annotations().isEmpty()) {
                val = s;
            }
        }
        assertNotNull("a training frame with two teacher boxes", train);
        assertNotNull("a validation frame with teacher boxes", val);
        List<String> teacherTrain = described(trainedOn(d, SplitRule.Split.TRAIN, train).truth());
        assertFalse("before any edit the teacher's labels are trained on", teacherTrain.isEmpty());

        // the person moves the first teacher box, relabels it Car, drops the rest and adds a Bicycle
        CocoDataset.Annotation first = train.annotations().get(0);
        List<LabelBox> edited = List.of(
                new LabelBox("Car", first.x() + 5, first.y() + 3, first.width(), first.height(), 1f),
                new LabelBox("Bicycle", 10, 20, 100.25f, 60, 1f));
        assertEquals(1, d.saveHuman(train.imageId(), 0, edited));
        List<String> expected = List.of(
                String.format(java.util.Locale.ROOT, "%d Car %.1f %.1f %.1f %.1f", labels.indexOf("Car"), first.x() + 5, first.y() + 3,
                        first.width(), first.height()),
                labels.indexOf("Bicycle") + " Bicycle 10.0 20.0 100.3 60.0");
        assertEquals("the training set holds the person's boxes", expected, described(trainedOn(d, SplitRule.Split.TRAIN, train).truth()));
        // an empty save is a frame with nothing on it, in the validation set too
        assertEquals(1, d.saveHuman(val.imageId(), 0, List.of()));
        assertTrue(trainedOn(d, SplitRule.Split.VAL, val).truth().isEmpty());
        long trainId = train.imageId();
        CocoDataset.Labelled l = d.labelled(SplitRule.Split.TRAIN, false).stream().filter(x -> x.sample().imageId() == trainId)
                .findFirst().orElseThrow();
        assertTrue(l.reviewed());
        assertEquals("the teacher's labels stay beside them", teacherTrain, described(l.teacher()));

        // the COCO files say who labelled each frame and carry the person's boxes
        Map<String, Object> doc = read(root.resolve("plaza"), "instances_train.json");
        int personBoxes = 0;
        for (Map<String, Object> img : list(doc, "images")) {
            assertEquals(num(img, "id") == train.imageId() ? "person" : "teacher", img.get("labelled_by"));
        }
        for (Map<String, Object> a : list(doc, "annotations")) {
            if (num(a, "image_id") == train.imageId()) {
                personBoxes++;
                assertTrue("ids of people's boxes are apart from the teacher's", num(a, "id") >= 1L << 41);
            }
        }
        assertEquals(2, personBoxes);

        // refused: stale revision, unknown class, outside the frame, not a number, under a pixel, unknown image
        try {
            d.saveHuman(train.imageId(), 0, edited);
            fail("a stale revision was stored");
        } catch (StaleRevisionException e) {
            assertEquals(1, e.current());
            assertEquals("frame " + train.imageId() + " was changed by someone else (it is at revision 1, you edited revision 0): "
                    + "reload it to see their boxes, then edit again", e.getMessage());
        }
        for (LabelBox bad : List.of(new LabelBox("<b>Unicorn</b>", 1, 1, 10, 10, 1f), new LabelBox("???", 1, 1, 10, 10, 1f),
                new LabelBox("Car", RealAssets.WIDTH - 5, 1, 10, 10, 1f), new LabelBox("Car", 1, -1, 10, 10, 1f),
                new LabelBox("Car", Float.NaN, 1, 10, 10, 1f), new LabelBox("Car", 1, 1, 0.3f, 10, 1f),
                new LabelBox("Car", 1, 1, Float.POSITIVE_INFINITY, 10, 1f))) {
            try {
                d.saveHuman(train.imageId(), 1, List.of(bad));
                fail("stored " + bad);
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage(), e.getMessage().startsWith("box 1: unknown class") || e.getMessage().startsWith("box 1 (Car) "));
            }
        }
        try {
            d.saveHuman(9999, 0, List.of());
            fail("stored boxes of an unknown image");
        } catch (java.util.NoSuchElementException e) {
            assertEquals("no image 9999 in the dataset of plaza", e.getMessage());
        }
        assertEquals("one line per save, nothing for the refused ones", 2, Files.readAllLines(root.resolve("plaza").resolve("human.log")).size());

        // a second save on the current revision wins; everything survives a reopen
        assertEquals(2, d.saveHuman(train.imageId(), 1, edited.subList(0, 1)));
        CocoDataset reopened = CocoDataset.open(root, "plaza", labels, RULE);
        assertEquals(2, reopened.human(train.imageId()).orElseThrow().revision());
        assertEquals(expected.subList(0, 1), described(trainedOn(reopened, SplitRule.Split.TRAIN, train).truth()));
        assertTrue(trainedOn(reopened, SplitRule.Split.VAL, val).truth().isEmpty());
        // a rejected frame stays out, reviewed or not
        reopened.review(trainId, Verdict.REJECTED);
        String file = train.fileName();
        assertTrue(Retrainer.images(reopened, SplitRule.Split.TRAIN).stream().noneMatch(li -> li.jpeg().getFileName().toString().equals(file)));
    }
}

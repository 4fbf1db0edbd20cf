package io.edgetune.annotator;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.edgetune.annotator.teacher.Teacher;
import io.edgetune.annotator.teacher.TeacherSettings;
import io.edgetune.api.detect.Detection;
import io.edgetune.api.detect.Detections;
import io.edgetune.api.frame.Frame;
import io.edgetune.api.frame.FramePool;
import io.edgetune.inference.engine.DetectorSettings;
import io.edgetune.inference.engine.LoadedModel;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/** The teacher against the gateway's naive full-frame pass, on real frames of vtest.avi. */
public class TeacherRealFramesTest {

    /** People read off frame 300 by eye (x, y, width, height). */
    static final int[][] FRAME_300_PEOPLE = {
        {180, 160, 35, 70}, {243, 157, 32, 66}, {294, 158, 31, 65}, {311, 213, 37, 85}, {577, 160, 27, 75}, {615, 168, 26, 63},
    };
    private static final Set<String> PERSON = Set.of("Person");

    private static LoadedModel model;
    private static FramePool pool;
    /** The gateway in its naive mode: the whole frame, persons at 0.5. */
    private static DetectorSettings edge;
    /** The cloud's detector service: regions, lower per-pass threshold. */
    private static io.edgetune.api.detect.DetectorService cloud;

    @BeforeClass
    public static void load() throws Exception {
        model = RealAssets.model();
        pool = new FramePool(2, RealAssets.WIDTH, RealAssets.HEIGHT);
        edge = DetectorSettings.defaults().withMode(Detections.Mode.FULL_FRAME).withScoreThreshold(0.5f).withAllowedLabels(PERSON);
        cloud = RealAssets.detector(model, DetectorSettings.defaults().withScoreThreshold(0.3f).withAllowedLabels(PERSON));
    }

    @AfterClass
    public static void close() {
        model.close();
    }

    private static List<Detection> edgePass(Frame f) throws Exception {
        return model.detect(f, List.of(), edge).detections();
    }

    @Test
    public void teacherFindsMorePeopleThanTheEdgePassOnTwentyFrames() throws Exception {
        int[] indices = new int[20];
        for (int i = 0; i < indices.length; i++) {
            indices[i] = 20 + 40 * i;
        }
        Map<Integer, byte[]> frames = RealAssets.frames(indices);
        Teacher teacher = new Teacher(cloud, TeacherSettings.defaults());
        int edgeTotal = 0;
        int teacherTotal = 0;
        long teacherNanos = 0;
        int passes = 0;
        for (int i : indices) {
            Frame f = RealAssets.frame(pool, "plaza", i, 100L * i, frames.get(i));
            try {
                List<Detection> e = edgePass(f);
                Teacher.Labels labels = teacher.label(f);
                List<Detection> t = labels.finalLabels();
                teacherNanos += labels.nanos();
                passes = labels.passes();
                System.out.printf("frame %3d: persons edge %2d, teacher %2d (%d pass boxes, %d cut by tile edges)%n",
                        i, e.size(), t.size(), labels.boxes(), labels.cutBoxes());
                assertTrue("frame " + i + ": teacher found " + t.size() + " < edge " + e.size(), t.size() >= e.size());
                edgeTotal += e.size();
                teacherTotal += t.size();
                Render.png(frames.get(i), RealAssets.WIDTH, RealAssets.HEIGHT, e, t, Paths.get("target/teacher/frame-" + i + ".png"));
            } finally {
                f.release();
            }
        }
        System.out.printf("20 frames: persons edge %d, teacher %d (+%.0f%%); teacher %d passes, %.0f ms per frame%n",
                edgeTotal, teacherTotal, 100.0 * (teacherTotal - edgeTotal) / Math.max(1, edgeTotal), passes, teacherNanos / 20 / 1e6);
        assertTrue("teacher " + teacherTotal + " should beat edge " + edgeTotal, teacherTotal > edgeTotal);
    }

    @Test
    public void teacherBoxesSitOnTheHandCheckedPeopleOfFrame300() throws Exception {
        byte[] bgr = RealAssets.frames(300).get(300);
        Frame f = RealAssets.frame(pool, "plaza", 300, 30_000L, bgr);
        try {
            List<Detection> t = new Teacher(cloud, TeacherSettings.defaults()).label(f).finalLabels();
            List<Detection> e = edgePass(f);
            Render.png(bgr, RealAssets.WIDTH, RealAssets.HEIGHT, e, t, Paths.get("target/teacher/hand-300.png"));
            int edgeFound = 0;
            for (int[] hand : FRAME_300_PEOPLE) {
                float iou = bestIou(hand, t);
                System.out.printf("person %s: teacher IoU %.2f, edge IoU %.2f%n", Arrays.toString(hand), iou, bestIou(hand, e));
                assertTrue("teacher has no box on " + Arrays.toString(hand) + " (best IoU " + iou + "): " + t, iou > 0.5f);
                edgeFound += bestIou(hand, e) > 0.5f ? 1 : 0;
            }
            // every teacher label is a person box of plausible size, nothing on the empty lawn at the bottom
            for (Detection d : t) {
                assertEquals("Person", d.label());
                assertTrue("implausible person box " + d, d.height() > 20 && d.height() < 250 && d.width() < d.height() * 1.5);
                assertTrue("person on the empty lawn: " + d, d.y() < 400);
            }
            System.out.printf("frame 300: teacher %d persons, edge %d; hand-checked found by edge %d of %d%n",
                    t.size(), e.size(), edgeFound, FRAME_300_PEOPLE.length);
        } finally {
            f.release();
        }
    }

    static float bestIou(int[] hand, List<Detection> found) {
        Detection h = new Detection(4, "Person", 1f, hand[0], hand[1], hand[2], hand[3]);
        float best = 0;
        for (Detection d : found) {
            best = Math.max(best, d.iou(h));
        }
        return best;
    }
}

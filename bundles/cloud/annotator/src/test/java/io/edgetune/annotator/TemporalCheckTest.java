package io.edgetune.annotator;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.edgetune.annotator.internal.TemporalCheck;
import io.edgetune.annotator.teacher.Teacher;
import io.edgetune.annotator.teacher.TeacherSettings;
import io.edgetune.api.detect.Detection;
import io.edgetune.api.frame.Frame;
import io.edgetune.api.frame.FramePool;
import io.edgetune.inference.engine.DetectorSettings;
import io.edgetune.inference.engine.LoadedModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.Test;

public class TemporalCheckTest {

    private static Detection person(float score, float x, float y) {
        return new Detection(4, "Person", score, x, y, 30, 70);
    }

    private static Detection car(float score, float x, float y) {
        return new Detection(23, "Car", score, x, y, 30, 70);
    }

    @Test
    public void weakBoxesNeedANeighbourAndMissesAreFilledWhenBothSidesAgree() {
        TemporalCheck check = new TemporalCheck(0.5f, 0.5f);
        List<Detection> prev = List.of(person(0.8f, 100, 100), person(0.7f, 300, 100), person(0.6f, 500, 100));
        List<Detection> next = List.of(person(0.8f, 104, 100), person(0.7f, 304, 100), car(0.9f, 600, 300));
        List<Detection> cur = List.of(
                person(0.9f, 400, 300),   // strong: stays even though alone
                person(0.35f, 102, 101),  // weak, confirmed by both sides
                person(0.35f, 200, 400),  // weak and isolated: dropped
                car(0.35f, 500, 100),     // weak, its class absent around it (a person is there): dropped
                person(0.4f, 497, 99));   // weak, confirmed by the previous sample only
        TemporalCheck.Result r = check.apply(prev, cur, next);
        assertEquals(2, r.confirmed());
        assertEquals(2, r.dropped());
        assertEquals("the person at x~302 is missing here but labelled on both sides", 1, r.filled());
        assertEquals(4, r.labels().size());
        Detection filled = r.labels().get(3);
        assertEquals(302f, filled.x(), 0.01f);
        assertEquals(0.7f, filled.score(), 1e-6f);
        assertTrue(r.labels().contains(cur.get(0)) && r.labels().contains(cur.get(1)) && r.labels().contains(cur.get(4)));
    }

    @Test
    public void withoutNeighboursOnlyTheStrongBoxesRemain() {
        TemporalCheck check = new TemporalCheck(0.5f, 0.5f);
        List<Detection> cur = List.of(person(0.9f, 10, 10), person(0.45f, 200, 10));
        TemporalCheck.Result r = check.apply(null, cur, null);
        assertEquals(List.of(cur.get(0)), r.labels());
        assertEquals(1, r.dropped());
    }

    /** On consecutive real frames (0.2 s apart): what the check changes, and that it keeps every hand-checked person. */
    @Test
    public void onRealNeighbouringFramesTheCheckKeepsThePeople() throws Exception {
        int[] centres = {100, 300, 500, 700};
        int step = 2;
        List<Integer> wanted = new ArrayList<>();
        for (int c : centres) {
            wanted.add(c - step);
            wanted.add(c);
            wanted.add(c + step);
        }
        Map<Integer, byte[]> bgr = RealAssets.frames(wanted.stream().mapToInt(Integer::intValue).toArray());
        try (LoadedModel model = RealAssets.model()) {
            FramePool pool = new FramePool(2, RealAssets.WIDTH, RealAssets.HEIGHT);
            Teacher teacher = new Teacher(RealAssets.detector(model,
                    DetectorSettings.defaults().withScoreThreshold(0.3f).withAllowedLabels(Set.of("Person"))), TeacherSettings.defaults());
            TemporalCheck check = new TemporalCheck(0.5f, 0.5f);
            int single = 0;
            int temporal = 0;
            int confirmed = 0;
            int filled = 0;
            int dropped = 0;
            for (int c : centres) {
                List<List<Detection>> all = new ArrayList<>();
                for (int i : new int[] {c - step, c, c + step}) {
                    Frame f = RealAssets.frame(pool, "plaza", i, 100L * i, bgr.get(i));
                    try {
                        all.add(teacher.label(f).all());
                    } finally {
                        f.release();
                    }
                }
                TemporalCheck.Result r = check.apply(all.get(0), all.get(1), all.get(2));
                List<Detection> strongList = all.get(1).stream().filter(d -> d.score() >= 0.5f).toList();
                long strongHere = strongList.size();
                // red: teacher alone, green: with neighbours
                Render.png(bgr.get(c), RealAssets.WIDTH, RealAssets.HEIGHT, strongList, r.labels(),
                        java.nio.file.Paths.get("target/temporal/frame-" + c + ".png"));
                single += (int) strongHere;
                temporal += r.labels().size();
                confirmed += r.confirmed();
                filled += r.filled();
                dropped += r.dropped();
                System.out.printf("frame %d: teacher alone %d persons, with neighbours %d (%d weak confirmed, %d filled, %d weak dropped)%n",
                        c, strongHere, r.labels().size(), r.confirmed(), r.filled(), r.dropped());
                assertEquals(strongHere + r.confirmed() + r.filled(), r.labels().size());
                if (c == 300) {
                    for (int[] hand : TeacherRealFramesTest.FRAME_300_PEOPLE) {
                        assertTrue("lost hand-checked person " + java.util.Arrays.toString(hand),
                                TeacherRealFramesTest.bestIou(hand, r.labels()) > 0.5f);
                    }
                }
                for (Detection d : r.labels()) {
                    assertTrue("person on the empty lawn: " + d, d.y() < 400);
                }
            }
            System.out.printf("4 frames: teacher alone %d, with neighbours %d (+%d confirmed, +%d filled, %d weak dropped)%n",
                    single, temporal, confirmed, filled, dropped);
            assertTrue("weak boxes exist and some are isolated", dropped > 0);
        }
    }
}

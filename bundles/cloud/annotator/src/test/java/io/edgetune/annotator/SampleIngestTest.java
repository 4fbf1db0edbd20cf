package io.edgetune.annotator;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.edgetune.annotator.internal.CocoDataset;
import io.edgetune.annotator.internal.SampleIngest;
import io.edgetune.annotator.internal.SplitRule;
import io.edgetune.annotator.teacher.Teacher;
import io.edgetune.annotator.teacher.TeacherSettings;
import io.edgetune.inference.engine.DetectorSettings;
import io.edgetune.inference.engine.LoadedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import org.eclipse.kura.cloudconnection.message.KuraMessage;
import org.eclipse.kura.message.KuraPayload;
import org.junit.Test;

/** Sample messages as the gateway's uploader sends them, through the ingest into the dataset. */
public class SampleIngestTest {

    private static KuraMessage sample(String camera, long seq, long ts, byte[] jpeg, String gateway) {
        KuraPayload p = Samples.payload(camera, seq, ts, jpeg, "request");
        return gateway == null ? new KuraMessage(p) : new KuraMessage(p, Map.of(SampleIngest.GATEWAY_PROPERTY, gateway));
    }

    @Test
    public void sampleMessagesBecomeLabelledDatasetEntriesAndBadOnesAreRefused() throws Exception {
        Path root = Paths.get("target/ingest");
        if (Files.exists(root)) {
            try (var walk = Files.walk(root)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Map<Integer, byte[]> bgr = RealAssets.frames(300, 500);
        byte[] jpeg300 = Render.jpeg(bgr.get(300), RealAssets.WIDTH, RealAssets.HEIGHT);
        byte[] jpeg500 = Render.jpeg(bgr.get(500), RealAssets.WIDTH, RealAssets.HEIGHT);
        List<String> labels = RealAssets.labels();
        try (LoadedModel model = RealAssets.model()) {
            Teacher teacher = new Teacher(RealAssets.detector(model, DetectorSettings.defaults().withScoreThreshold(0.3f)),
                    TeacherSettings.defaults());
            try (SampleIngest ingest = new SampleIngest(teacher, root, labels, SplitRule.defaults(), 1920, 1080, 4)) {
                assertTrue(ingest.offer(sample("plaza", 300, 1_763_780_030_000L, jpeg300, "gw-1")));
                assertTrue(ingest.offer(sample("plaza", 500, 1_763_780_050_000L, jpeg500, "gw-1")));
                assertTrue("a redelivery is accepted and recorded once", ingest.offer(sample("plaza", 300, 1_763_780_030_000L, jpeg300, "gw-1")));
                assertTrue(ingest.offer(sample("door", 300, 1_763_780_030_000L, jpeg300, null)));
                assertFalse(ingest.offer(sample("../x", 1, 1, jpeg300, "gw-1")));
                assertFalse(ingest.offer(sample("plaza", 2, 2, new byte[] {1, 2, 3, 4}, "gw-1")));
                assertFalse(ingest.offer(new KuraMessage(new KuraPayload())));
                long deadline = System.currentTimeMillis() + 120_000;
                while (ingest.pending() > 0 || !ingest.counters().contains("labelled 3, duplicates 1")) {
                    if (System.currentTimeMillis() > deadline) {
                        break;
                    }
                    Thread.sleep(50);
                }
                System.out.println("ingest: " + ingest.counters());
                assertTrue(ingest.counters(), ingest.counters().startsWith("received 7, refused 3, dropped (queue full) 0, labelled 3, duplicates 1, failed 0"));
            }
            CocoDataset plaza = CocoDataset.open(root.resolve("gw-1"), "plaza", labels, SplitRule.defaults());
            assertEquals(2, plaza.samples().size());
            CocoDataset.Sample s300 = plaza.samples().get(0);
            assertEquals(300, s300.sequence());
            long persons = s300.annotations().stream().filter(a -> a.categoryId() == 4).count();
            assertTrue("the six people of frame 300 should be labelled, got " + persons, persons >= 6);
            for (int[] hand : TeacherRealFramesTest.FRAME_300_PEOPLE) {
                boolean on = s300.annotations().stream().anyMatch(a -> a.categoryId() == 4
                        && new io.edgetune.api.detect.Detection(4, "Person", 1, a.x(), a.y(), a.width(), a.height())
                        .iou(new io.edgetune.api.detect.Detection(4, "Person", 1, hand[0], hand[1], hand[2], hand[3])) > 0.5f);
                assertTrue("decoded JPEG sample lost person " + java.util.Arrays.toString(hand), on);
            }
            assertTrue(Files.exists(root.resolve("gw-1/plaza/annotations/instances_train.json")));
            assertEquals("a message without the gateway property goes under 'gateway'", 1,
                    CocoDataset.open(root.resolve("gateway"), "door", labels, SplitRule.defaults()).samples().size());
        }
    }
}

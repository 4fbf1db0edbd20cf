package io.edgetune.annotator;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.edgetune.annotator.internal.CloudLink;
import io.edgetune.annotator.internal.CocoDataset;
import io.edgetune.annotator.internal.SampleIngest;
import io.edgetune.annotator.internal.SplitRule;
import io.edgetune.annotator.teacher.Teacher;
import io.edgetune.annotator.teacher.TeacherSettings;
import io.edgetune.api.annotate.Verdict;
import io.edgetune.cloud.mqtt.codec.KuraPayloadCodec;
import io.edgetune.testsupport.TestBroker;
import io.edgetune.inference.engine.DetectorSettings;
import io.edgetune.inference.engine.LoadedModel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import org.eclipse.kura.message.KuraPayload;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.Test;

/**
 * Samples published by gateways on their data topics reach the annotator's own
 * client on a real broker (Moquette), are labelled with the real teacher and
 * filed per gateway with the gateway's own boxes; malformed messages are
 * refused; weak teacher boxes are kept only when a neighbour confirms them;
 * verdicts survive a restart.
 */
public class CloudIngestTest {

    private static final long T0 = 1_763_780_030_000L;

    private static byte[] sample(String camera, long seq, long ts, byte[] jpeg, String detections) {
        KuraPayload p = Samples.payload(camera, seq, ts, jpeg, "interval");
        p.addMetric("model.version", "base-oidv4");
        if (detections != null) {
            p.addMetric("detections", detections);
        }
        return KuraPayloadCodec.encode(p);
    }

    @Test
    public void gatewaysSamplesArriveOverTheBrokerAndAreFiledPerGateway() throws Exception {
        Path root = Paths.get("target/cloud-ingest");
        if (Files.exists(root)) {
            try (var walk = Files.walk(root)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Map<Integer, byte[]> bgr = RealAssets.frames(300, 310, 320);
        List<String> labels = RealAssets.labels();
        String edge = "{\"cam\":\"plaza\",\"seq\":310,\"ts\":" + (T0 + 1000) + ",\"model\":\"base-oidv4\","
                + "\"det\":[{\"c\":4,\"l\":\"Person\",\"s\":0.81,\"b\":[100.3,50,40.5,120]},{\"c\":4,\"l\":\"Person\",\"s\":0.6,\"b\":[300,200,30,80]}]}";
        CocoDataset.LabelPolicy policy = new CocoDataset.LabelPolicy(0.5f, 0.5f, 15_000);
        try (TestBroker broker = TestBroker.create("moquette", root.resolve("broker"));
             LoadedModel model = RealAssets.model()) {
            broker.start();
            Teacher teacher = new Teacher(RealAssets.detector(model, DetectorSettings.defaults().withScoreThreshold(0.3f)),
                    TeacherSettings.defaults());
            try (SampleIngest ingest = new SampleIngest(teacher, root.resolve("data"), labels, SplitRule.defaults(), policy, 1920, 1080, 8);
                 CloudLink link = new CloudLink(new CloudLink.Settings(broker.url(), "annotator-test", "edgetune", "", new char[0],
                         4 * 1024 * 1024), ingest::offer)) {
                link.start();
                long until = System.currentTimeMillis() + 30_000;
                while (!link.connected() && System.currentTimeMillis() < until) {
                    Thread.sleep(50);
                }
                assertTrue("annotator did not connect to " + broker.url(), link.connected());
                Thread.sleep(300);
                MqttClient gw = new MqttClient(broker.url(), "gw7", new MemoryPersistence());
                gw.connect(new MqttConnectOptions());
                gw.publish("edgetune/gw7/EDGETUNE/samples/plaza", sample("plaza", 300, T0,
                        Render.jpeg(bgr.get(300), RealAssets.WIDTH, RealAssets.HEIGHT), null), 1, false);
                gw.publish("edgetune/gw7/EDGETUNE/samples/plaza", sample("plaza", 310, T0 + 1000,
                        Render.jpeg(bgr.get(310), RealAssets.WIDTH, RealAssets.HEIGHT), edge), 1, false);
                gw.publish("edgetune/gw7/EDGETUNE/samples/plaza", sample("plaza", 320, T0 + 2000,
                        Render.jpeg(bgr.get(320), RealAssets.WIDTH, RealAssets.HEIGHT), "{not json"), 1, false);
                gw.publish("edgetune/gw8/EDGETUNE/samples/door", "garbage, not a KuraPayload".getBytes(StandardCharsets.UTF_8), 1, false);
                gw.publish("edgetune/gw8/EDGETUNE/samples/door", sample("door", 1, T0, new byte[] {1, 2, 3, 4, 5}, null), 1, false);
                gw.disconnect();
                gw.close();
                until = System.currentTimeMillis() + 120_000;
                while (!ingest.counters().contains("labelled 3,") && System.currentTimeMillis() < until) {
                    Thread.sleep(100);
                }
                System.out.println("cloud ingest: " + ingest.counters());
                assertTrue(ingest.counters(), ingest.counters().startsWith("received 4, refused 1, dropped (queue full) 0, labelled 3"));
                assertEquals("undecodable payloads are counted by the link", "received 5, undecodable 1", link.counters());
                assertEquals("base-oidv4", ingest.gatewayModel("gw7", "plaza"));
                assertEquals(List.of("gw7/plaza"), List.copyOf(ingest.datasets().keySet()));

                CocoDataset d = ingest.datasets().get("gw7/plaza");
                List<CocoDataset.Sample> all = d.samples();
                assertEquals(3, all.size());
                assertEquals("the gateway's boxes travel with the sample", 2, all.get(1).edge().size());
                assertEquals(100.3f, all.get(1).edge().get(0).x(), 1e-3);
                assertEquals("malformed gateway boxes cost only the overlay", 0, all.get(2).edge().size());

                // the stored teacher boxes reach below the final threshold; the labels only keep confirmed ones
                List<CocoDataset.Labelled> labelled = d.labelled(null, true);
                int weakStored = 0;
                int weakKept = 0;
                for (CocoDataset.Labelled l : labelled) {
                    weakStored += (int) l.sample().annotations().stream().filter(a -> a.score() < 0.5f).count();
                    weakKept += (int) l.labels().stream().filter(b -> b.score() < 0.5f).count();
                    assertTrue(l.labels().stream().allMatch(b -> b.score() >= 0.3f));
                }
                System.out.println("weak teacher boxes stored " + weakStored + ", confirmed by a neighbour " + weakKept);
                assertTrue("the 0.3 pass finds weak boxes on these frames", weakStored > 0);
                assertTrue("not every weak box is confirmed", weakKept < weakStored);

                long first = all.get(0).imageId();
                d.review(first, Verdict.REJECTED);
                String train = Files.readString(d.directory().resolve("annotations/instances_train.json"));
                assertFalse("a rejected frame leaves the COCO file", train.contains("\"id\":" + first + ",\"file_name\""));
                assertEquals(2, d.labelled(SplitRule.Split.TRAIN, false).size());
            }
            // a restarted annotator finds the dataset, the gateway boxes and the verdict again
            try (SampleIngest again = new SampleIngest(teacher, root.resolve("data"), labels, SplitRule.defaults(), policy, 1920, 1080, 8)) {
                again.openExisting();
                CocoDataset d = again.datasets().get("gw7/plaza");
                assertEquals(3, d.samples().size());
                assertEquals(Verdict.REJECTED, d.verdict(d.samples().get(0).imageId()));
                assertEquals(2, d.samples().get(1).edge().size());
            }
        }
    }
}

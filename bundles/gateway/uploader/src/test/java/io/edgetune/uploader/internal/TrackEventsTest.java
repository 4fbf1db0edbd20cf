package io.edgetune.uploader.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.edgetune.api.detect.Detection;
import io.edgetune.api.detect.Detections;
import io.edgetune.api.frame.Frame;
import io.edgetune.api.frame.FramePool;
import io.edgetune.api.motion.Region;
import io.edgetune.api.track.Track;
import io.edgetune.api.track.TrackEvent;
import io.edgetune.api.track.TrackedFrame;
import io.edgetune.cloud.mqtt.internal.ConnectionSettings;
import io.edgetune.cloud.mqtt.internal.MqttCloudConnection;
import io.edgetune.cloud.mqtt.internal.MqttCloudPublisher;
import io.edgetune.cloud.mqtt.testing.CloudClient;
import io.edgetune.testsupport.TestBroker;
import io.edgetune.testsupport.VideoFrames;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.IntPointer;
import org.eclipse.kura.message.KuraPayload;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class TrackEventsTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static final Detection PERSON = new Detection(1, "Person", 0.81f, 100.25f, 50f, 40.5f, 120f);
    private static final Detection CAR = new Detection(3, "Car", 0.62f, 300f, 200f, 80f, 60f);

    private static Detections detections(long seq) {
        return new Detections("plaza", seq, 1_000L * seq, 0, "v1", "tflite-javacpp", Detections.Mode.REGIONS,
                List.of(new Region(0, 0, 768, 576)), List.of(PERSON, CAR), 0, 0);
    }

    /** The person is confirmed track 7; the car is only tentative (track 9): it gets no id yet. */
    private static TrackedFrame tracked(long seq) {
        long t = 1_000L * seq;
        return new TrackedFrame("plaza", seq, t, List.of(
                new Track("plaza", 7, 1, "Person", 0.9f, PERSON.x(), PERSON.y(), PERSON.width(), PERSON.height(),
                        Track.State.ACTIVE, 0, t, List.of("door")),
                new Track("plaza", 9, 3, "Car", 0.62f, CAR.x(), CAR.y(), CAR.width(), CAR.height(),
                        Track.State.TENTATIVE, t, t, List.of())), Map.of());
    }

    @Test
    public void detectionMessagesCarryTheIdsOfConfirmedTracksWhicheverArrivesFirst() {
        TrackPairing pairing = new TrackPairing();
        List<long[]> released = new ArrayList<>();
        List<Long> seqs = new ArrayList<>();
        java.util.function.BiConsumer<Detections, TrackedFrame> out = (d, tf) -> {
            seqs.add(d.frameSequence());
            released.add(EventMessages.trackIds(d, tf));
        };
        pairing.detections(detections(1), out);
        assertTrue("waits for the tracker", released.isEmpty());
        pairing.tracked(tracked(1), out);
        assertArrayEquals(new long[] {7, 0}, released.get(0));
        // the tracker first this time
        pairing.tracked(tracked(2), out);
        pairing.detections(detections(2), out);
        assertArrayEquals(new long[] {7, 0}, released.get(1));
        // no tracked frame for 3: it goes out without ids when 4 comes
        pairing.detections(detections(3), out);
        pairing.detections(detections(4), out);
        assertEquals(List.of(1L, 2L, 3L), seqs);
        assertNull(released.get(2));
        // another frame's tracks give no ids
        assertNull(EventMessages.trackIds(detections(5), tracked(4)));

        String json = new String(DetectionMessages.payload(detections(1), new long[] {7, 0}).getBody(), StandardCharsets.UTF_8);
        assertTrue(json, json.contains("{\"c\":1,\"l\":\"Person\",\"t\":7,\"s\":0.81,"));
        assertTrue(json, json.contains("{\"c\":3,\"l\":\"Car\",\"s\":0.62,"));
        assertFalse(new String(DetectionMessages.payload(detections(1)).getBody(), StandardCharsets.UTF_8).contains("\"t\""));
    }

    @Test
    public void eventsGoToTheirTopicAndSurviveABrokerOutageThroughTheOutbox() throws Exception {
        byte[] jpeg = realJpeg();
        try (TestBroker broker = TestBroker.create("moquette", tmp.newFolder("broker").toPath())) {
            broker.start();
            CloudClient cloud = new CloudClient(broker.url(), "dashboard");
            cloud.subscribe("edgetune/pi-1/EDGETUNE/events/#");
            Map<String, Object> cs = new HashMap<>();
            cs.put("broker.url", broker.url());
            cs.put("client.id", "pi-1");
            cs.put("reconnect.min.delay.ms", 100);
            cs.put("reconnect.max.delay.ms", 500);
            MqttCloudConnection gw = new MqttCloudConnection(ConnectionSettings.from(cs), tmp.newFolder("outbox").toPath(), "test");
            gw.start();
            MqttCloudPublisher pub = new MqttCloudPublisher(gw, MqttCloudPublisher.Settings.from(Map.of(
                    "kura.service.pid", "edgetune-events", "app.id", "EDGETUNE", "app.topic", "events/$camera.id")));
            EventWorker events = new EventWorker(16, () -> pub);
            events.start();
            try {
                events.offer(new TrackEvent(TrackEvent.Type.START, "plaza", 7, 1, "Person", 0.81f, null, 1_000, 300, null));
                CloudClient.Received start = cloud.await("edgetune/pi-1/EDGETUNE/events/plaza"::equals, 30);
                KuraPayload p = start.payload();
                assertEquals("start", p.getMetric("type"));
                assertEquals(7L, p.getMetric("track.id"));
                assertEquals(1, p.getMetric("class.id"));
                assertEquals("Person", p.getMetric("label"));
                assertEquals(0.81, (Double) p.getMetric("score"), 1e-6);
                assertEquals(300L, p.getMetric("duration.ms"));
                assertNull(p.getMetric("zone"));
                assertNull(p.getBody());
                assertEquals(1_000L, p.getTimestamp().getTime());

                broker.stop();
                long deadline = System.nanoTime() + 30_000_000_000L;
                while (gw.isConnected() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertFalse("the gateway noticed the outage", gw.isConnected());
                events.offer(new TrackEvent(TrackEvent.Type.ENTER, "plaza", 7, 1, "Person", 0.81f, "door", 2_000, 1_300, null));
                events.offer(new TrackEvent(TrackEvent.Type.LEAVE, "plaza", 7, 1, "Person", 0.85f, "door", 9_000, 7_000, null));
                events.offer(new TrackEvent(TrackEvent.Type.END, "plaza", 7, 1, "Person", 0.85f, null, 12_000, 11_300, jpeg));
                deadline = System.nanoTime() + 30_000_000_000L;
                while (gw.status().outbox().pending() < 3 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertEquals("the events wait in the outbox", 3, gw.status().outbox().pending());
                broker.start();
                List<CloudClient.Received> got = cloud.collect("edgetune/pi-1/EDGETUNE/events/plaza"::equals, 3, 60);
                assertEquals(3, got.size());
                assertEquals("enter", got.get(0).payload().getMetric("type"));
                assertEquals("door", got.get(0).payload().getMetric("zone"));
                assertEquals("leave", got.get(1).payload().getMetric("type"));
                assertEquals(7_000L, got.get(1).payload().getMetric("duration.ms"));
                KuraPayload end = got.get(2).payload();
                assertEquals("end", end.getMetric("type"));
                assertEquals("image/jpeg", end.getMetric("content.type"));
                assertArrayEquals(jpeg, end.getBody());
                assertEquals(4, events.published());
                assertEquals(0, events.dropped());
            } finally {
                events.stop(2000);
                gw.stop(3000);
                cloud.close();
            }
        }
    }

    @Test
    public void samplesCarryTheTrackIdsOfTheTrackersFrameAndNoneWithoutIt() throws Exception {
        try (TestBroker broker = TestBroker.create("moquette", tmp.newFolder("broker").toPath())) {
            broker.start();
            CloudClient cloud = new CloudClient(broker.url(), "annotator");
            cloud.subscribe("edgetune/pi-1/EDGETUNE/samples/#");
            MqttCloudConnection gw = new MqttCloudConnection(ConnectionSettings.from(Map.of("broker.url", broker.url(),
                    "client.id", "pi-1")), tmp.newFolder("outbox").toPath(), "test");
            gw.start();
            MqttCloudPublisher pub = new MqttCloudPublisher(gw, MqttCloudPublisher.Settings.from(Map.of(
                    "kura.service.pid", "edgetune-samples", "app.id", "EDGETUNE", "app.topic", "samples/$camera.id")));
            RecentTracks recent = new RecentTracks();
            SampleWorker worker = new SampleWorker(4, () -> pub, 80, recent);
            worker.start();
            // uncertainty 0.6..0.7 samples every frame (the car at 0.62); novelty never fires
            PolicySampler sampler = new PolicySampler(new PolicySampler.Settings(0, 1.0, 8, 0.6f, 0.7f, 0, 200, java.util.Set.of(),
                    -1, 10, 20_000_000, 2_000_000, 100_000), worker, () -> 0L);
            FramePool pool = new FramePool(2, VideoFrames.WIDTH, VideoFrames.HEIGHT);
            byte[] bgr = VideoFrames.bgr(10);
            try {
                recent.put(tracked(3)); // the tracker saw frame 3 (person confirmed as 7); frame 4 it has not seen
                for (long seq = 3; seq <= 4; seq++) {
                    Frame f = VideoFrames.frame(pool, bgr, "plaza", seq, 1_000L * seq);
                    try {
                        assertTrue(sampler.onDetections(detections(seq), f) != 0);
                    } finally {
                        f.release();
                    }
                }
                List<CloudClient.Received> got = cloud.collect(t -> t.contains("/samples/"), 2, 30);
                assertEquals(2, got.size());
                Map<Long, String> bySeq = new HashMap<>();
                for (CloudClient.Received r : got) {
                    bySeq.put((Long) r.payload().getMetric("frame.sequence"), (String) r.payload().getMetric("detections"));
                }
                String tracked = bySeq.get(3L);
                assertTrue(tracked, tracked.contains("{\"c\":1,\"l\":\"Person\",\"t\":7,\"s\":0.81,"));
                assertTrue("the tentative car has no id: " + tracked, tracked.contains("{\"c\":3,\"l\":\"Car\",\"s\":0.62,"));
                assertFalse("no tracked frame, no ids: " + bySeq.get(4L), bySeq.get(4L).contains("\"t\""));
            } finally {
                worker.stop(2000);
                gw.stop(3000);
                cloud.close();
            }
        }
    }

    @Test
    public void recentTracksFindOnlyTheFrameAskedFor() {
        RecentTracks recent = new RecentTracks();
        for (long seq = 1; seq <= RecentTracks.DEPTH + 2; seq++) {
            recent.put(tracked(seq));
        }
        assertEquals(RecentTracks.DEPTH + 2, recent.find("plaza", RecentTracks.DEPTH + 2).frameSequence());
        assertEquals(3, recent.find("plaza", 3).frameSequence());
        assertNull("pushed out by a later frame", recent.find("plaza", 2));
        assertNull("not seen yet", recent.find("plaza", RecentTracks.DEPTH + 3));
        assertNull("another camera", recent.find("gate", 3));
    }

    /** A real JPEG: a frame of the sample video as the sampler encodes it (the tracker's crops are smaller). */
    private static byte[] realJpeg() throws Exception {
        FramePool pool = new FramePool(1, VideoFrames.WIDTH, VideoFrames.HEIGHT);
        Frame f = VideoFrames.frame(pool, VideoFrames.bgr(10), "plaza", 10, 1_000);
        try (IntPointer params = new IntPointer(org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY, 50)) {
            return SampleWorker.encode(f, params);
        } finally {
            f.release();
        }
    }
}

package io.edgetune.uploader;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.edgetune.api.detect.Detection;
import io.edgetune.api.detect.Detections;
import io.edgetune.api.detect.DetectorStatus;
import io.edgetune.api.frame.CameraStatus;
import io.edgetune.api.motion.Region;
import io.edgetune.cloud.mqtt.internal.ConnectionSettings;
import io.edgetune.cloud.mqtt.internal.MqttCloudConnection;
import io.edgetune.cloud.mqtt.internal.MqttCloudPublisher;
import io.edgetune.cloud.mqtt.testing.CloudClient;
import io.edgetune.testsupport.TestBroker;
import io.edgetune.uploader.internal.DetectionMessages;
import io.edgetune.uploader.internal.RateLimiter;
import io.edgetune.uploader.internal.Uploader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.kura.cloudconnection.message.KuraMessage;
import org.eclipse.kura.message.KuraPayload;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class UploaderTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static Detections detections(String camera, long seq, Detection... found) {
        return new Detections(camera, seq, 1_763_780_000_000L + seq * 100, 0, "v1", "tflite-javacpp",
                Detections.Mode.REGIONS, List.of(new Region(0, 0, 768, 576)), List.of(found), 12_500_000, 20_000_000);
    }

    private static final Detection PERSON = new Detection(1, "Person", 0.8765f, 100.25f, 50f, 40.5f, 120f);
    private static final Detection CAR = new Detection(3, "Car \"blue\"", 0.31f, 300f, 200f, 80f, 60f);

    @Test
    public void rateLimiterAllowsBurstThenTheAverageRate() {
        RateLimiter r = new RateLimiter(2.0, 3);
        long t = 1_000_000_000L;
        int allowed = 0;
        for (int i = 0; i < 10; i++) {
            allowed += r.tryAcquire(t) ? 1 : 0;
        }
        assertEquals("burst", 3, allowed);
        assertFalse(r.tryAcquire(t + 100_000_000L)); // 0.2 token after 100 ms
        assertTrue(r.tryAcquire(t + 500_000_000L)); // 1 token after 500 ms
        assertFalse(r.tryAcquire(t + 500_000_000L));
        // 10 s idle refills to the burst only
        int later = 0;
        for (int i = 0; i < 10; i++) {
            later += r.tryAcquire(t + 10_500_000_000L) ? 1 : 0;
        }
        assertEquals(3, later);
    }

    @Test
    public void detectionMessageHasSummaryMetricsAndCompactJson() {
        KuraPayload p = DetectionMessages.payload(detections("plaza", 42, PERSON, CAR));
        assertEquals("plaza", p.getMetric("camera.id"));
        assertEquals(42L, p.getMetric("frame.sequence"));
        assertEquals(2, p.getMetric("count"));
        assertEquals("Person", p.getMetric("top.label"));
        assertEquals(0.8765, (Double) p.getMetric("top.score"), 1e-6);
        assertEquals(12.5, (Double) p.getMetric("inference.ms"), 1e-9);
        assertEquals("REGIONS", p.getMetric("mode"));
        assertEquals(1_763_780_004_200L, p.getTimestamp().getTime());
        String json = new String(p.getBody(), StandardCharsets.UTF_8);
        assertEquals("{\"cam\":\"plaza\",\"seq\":42,\"ts\":1763780004200,\"model\":\"v1\",\"det\":["
                + "{\"c\":1,\"l\":\"Person\",\"s\":0.877,\"b\":[100.3,50,40.5,120]},"
                + "{\"c\":3,\"l\":\"Car \\\"blue\\\"\",\"s\":0.31,\"b\":[300,200,80,60]}]}", json);
    }

    @Test
    public void detectionMessageSaysWhichBuildRanAndWhy() {
        Detections plain = detections("plaza", 42, PERSON);
        Detections d = new Detections(plain.cameraId(), plain.frameSequence(), plain.frameTimestampMillis(), plain.captureNanos(),
                plain.modelVersion(), plain.backend(), plain.mode(), plain.regions(), plain.detections(), plain.inferenceNanos(),
                plain.totalNanos(), "int8-cpu", "Edge TPU unavailable: no Edge TPU device found; running the int8 build on CPU");
        KuraPayload p = DetectionMessages.payload(d);
        assertEquals("int8-cpu", p.getMetric("build"));
        assertEquals("Edge TPU unavailable: no Edge TPU device found; running the int8 build on CPU", p.getMetric("build.reason"));
        // detections that do not know their build carry no build metrics
        assertEquals(null, DetectionMessages.payload(plain).getMetric("build"));
    }

    @Test
    public void publishesRateLimitedDetectionsAndStatusThroughRealPublishers() throws Exception {
        try (TestBroker broker = TestBroker.create("moquette", tmp.newFolder("broker").toPath())) {
            broker.start();
            CloudClient cloud = new CloudClient(broker.url(), "dashboard");
            cloud.subscribe("edgetune/pi-1/#");
            MqttCloudConnection gw = new MqttCloudConnection(ConnectionSettings.from(Map.of("broker.url", broker.url(),
                    "client.id", "pi-1")), tmp.newFolder("outbox").toPath(), "test");
            gw.start();
            MqttCloudPublisher detectionsPublisher = new MqttCloudPublisher(gw, MqttCloudPublisher.Settings.from(Map.of(
                    "kura.service.pid", "edgetune-detections", "app.id", "EDGETUNE", "app.topic", "detections/$camera.id")));
            MqttCloudPublisher statusPublisher = new MqttCloudPublisher(gw, MqttCloudPublisher.Settings.from(Map.of(
                    "kura.service.pid", "edgetune-status", "app.id", "EDGETUNE", "app.topic", "status")));
            Uploader uploader = new Uploader(new Uploader.Settings(true, 0.5f, 0.5, 4, 16), () -> detectionsPublisher,
                    () -> 5_000_000_000L); // frozen clock: only the burst passes
            uploader.start();
            try {
                for (int i = 0; i < 100; i++) {
                    uploader.offer(detections("plaza", i, PERSON, CAR)); // far faster than 0.5 per second
                }
                uploader.offer(detections("plaza", 100)); // nothing detected
                uploader.offer(detections("gate", 0, CAR)); // only a weak box: skipped
                uploader.offer(detections("gate", 1, PERSON));

                List<CloudClient.Received> got = cloud.collect(t -> t.contains("/detections/"), 5, 30);
                assertEquals("burst of 4 for plaza, 1 for gate", 5, got.size());
                Uploader.Stats s = uploader.stats();
                System.out.println("uploader: " + s);
                assertEquals(103, s.received());
                assertEquals(5, s.published());
                assertEquals(96, s.rateLimited());
                assertEquals(2, s.skippedEmpty());
                long plaza = got.stream().filter(r -> r.topic().equals("edgetune/pi-1/EDGETUNE/detections/plaza")).count();
                assertEquals(4, plaza);
                KuraPayload first = got.get(0).payload();
                assertEquals("the weak box is left out", 1, first.getMetric("count"));
                assertTrue(new String(first.getBody(), StandardCharsets.UTF_8).contains("\"l\":\"Person\""));

                KuraPayload status = uploader.statusPayload(List.of(new CameraStatus("plaza", CameraStatus.State.RUNNING,
                        null, "vtest.avi", 100, 100, 0, 9.8, 768, 576, 0, 0)),
                        // plaza has a model of its own; the default v1 serves the gateway's other cameras
                        new DetectorStatus("tflite-javacpp", "cpu", null, "v1", 0, 100, 0, 21.5, Map.of("plaza", "plaza-v2"), 2, 17_948_526L));
                statusPublisher.publish(new KuraMessage(status));
                KuraPayload st = cloud.await("edgetune/pi-1/EDGETUNE/status"::equals, 30).payload();
                assertEquals(1, st.getMetric("cameras.running"));
                assertEquals(5L, st.getMetric("uploads.detections.published"));
                assertEquals("RUNNING", st.getMetric("camera.plaza.state"));
                assertEquals(21.5, (Double) st.getMetric("detector.mean.inference.ms"), 1e-9);
                assertEquals("v1", st.getMetric("detector.model.version"));
                assertEquals("plaza-v2", st.getMetric("camera.plaza.model.version"));
                assertEquals(2, st.getMetric("detector.models.loaded"));
                assertEquals(17_948_526L, st.getMetric("detector.models.bytes"));
            } finally {
                uploader.stop(2000);
                gw.stop(3000);
                cloud.close();
            }
        }
    }

    private interface Body {
        void run(Uploader uploader, AtomicLong clock, CloudClient cloud) throws Exception;
    }

    /** An uploader on a clock the test sets, publishing through the real MQTT connection to a real broker. */
    private void withUploader(Uploader.Settings settings, Body body) throws Exception {
        try (TestBroker broker = TestBroker.create("moquette", tmp.newFolder("broker").toPath())) {
            broker.start();
            CloudClient cloud = new CloudClient(broker.url(), "dashboard");
            cloud.subscribe("edgetune/pi-1/EDGETUNE/detections/#");
            MqttCloudConnection gw = new MqttCloudConnection(ConnectionSettings.from(Map.of("broker.url", broker.url(),
                    "client.id", "pi-1")), tmp.newFolder("outbox").toPath(), "test");
            gw.start();
            MqttCloudPublisher publisher = new MqttCloudPublisher(gw, MqttCloudPublisher.Settings.from(Map.of(
                    "kura.service.pid", "edgetune-detections", "app.id", "EDGETUNE", "app.topic", "detections/$camera.id")));
            AtomicLong clock = new AtomicLong(TimeUnit.SECONDS.toNanos(1000));
            Uploader uploader = new Uploader(settings, () -> publisher, clock::get);
            uploader.start();
            try {
                body.run(uploader, clock, cloud);
            } finally {
                uploader.stop(2000);
                gw.stop(3000);
                cloud.close();
            }
        }
    }

    @Test
    public void silentCamerasSendHeartbeats() throws Exception {
        withUploader(new Uploader.Settings(true, 0f, 2.0, 5, 16, 10, 0), (uploader, clock, cloud) -> {
            uploader.setKnownCameras(() -> List.of("plaza", "gate"));
            uploader.tick(); // both cameras known from now on
            clock.addAndGet(TimeUnit.SECONDS.toNanos(1));
            uploader.offer(detections("plaza", 1, PERSON));
            clock.addAndGet(TimeUnit.SECONDS.toNanos(4));
            uploader.offer(detections("plaza", 2)); // nothing found: no message, but a frame looked at
            clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(5500));
            uploader.tick(); // gate silent for 10.5 s, plaza for 9.5 s
            clock.addAndGet(TimeUnit.SECONDS.toNanos(1));
            uploader.tick(); // now plaza too
            uploader.tick(); // nothing new
            List<CloudClient.Received> got = cloud.collect(t -> true, 3, 30);
            assertEquals(3, got.size());
            assertEquals("frame", got.get(0).payload().getMetric("type"));
            KuraPayload gate = got.get(1).payload();
            assertEquals("edgetune/pi-1/EDGETUNE/detections/gate", got.get(1).topic());
            assertEquals("heartbeat", gate.getMetric("type"));
            assertEquals(0, gate.getMetric("count"));
            assertEquals(10.5, (Double) gate.getMetric("silent.s"), 1e-6);
            KuraPayload plaza = got.get(2).payload();
            assertEquals("edgetune/pi-1/EDGETUNE/detections/plaza", got.get(2).topic());
            assertEquals("heartbeat", plaza.getMetric("type"));
            assertEquals(1L, plaza.getMetric("frames"));
            assertEquals("v1", plaza.getMetric("model.version"));
            assertTrue(new String(plaza.getBody(), StandardCharsets.UTF_8).contains("\"type\":\"heartbeat\""));
            assertEquals(List.of(), cloud.collect(t -> true, 1, 1));
            assertEquals(2, uploader.stats().heartbeats());
        });
    }

    @Test
    public void aggregationSendsCountsPerLabelPerWindow() throws Exception {
        withUploader(new Uploader.Settings(true, 0.5f, 2.0, 5, 16, 0, 5), (uploader, clock, cloud) -> {
            for (int i = 0; i < 40; i++) { // far more frames than max.rate would let through one by one
                uploader.offer(i % 4 == 3 ? detections("plaza", i) : detections("plaza", i, PERSON, CAR,
                        new Detection(1, "Person", 0.7f, 400, 100, 30, 90)));
            }
            uploader.offer(detections("plaza", 40, new Detection(5, "Bicycle", 0.66f, 10, 10, 40, 40)));
            clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(4900));
            uploader.tick();
            assertEquals("window still open", List.of(), cloud.collect(t -> true, 1, 1));
            clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(100));
            uploader.tick();
            KuraPayload a = cloud.await(t -> true, 30).payload();
            assertEquals("aggregate", a.getMetric("type"));
            assertEquals(41L, a.getMetric("frames"));
            assertEquals(31L, a.getMetric("frames.with.detections"));
            assertEquals("weak cars are left out", 61, a.getMetric("count"));
            assertEquals(60, a.getMetric("count.Person"));
            assertEquals(1, a.getMetric("count.Bicycle"));
            assertEquals(null, a.getMetric("count.Car \"blue\""));
            assertEquals("Person", a.getMetric("top.label"));
            assertEquals(1_763_780_000_000L, a.getMetric("from"));
            assertEquals(1_763_780_004_000L, a.getMetric("to"));
            assertEquals("{\"cam\":\"plaza\",\"from\":1763780000000,\"to\":1763780004000,\"frames\":41,"
                    + "\"counts\":{\"Person\":60,\"Bicycle\":1}}", new String(a.getBody(), StandardCharsets.UTF_8));
            clock.addAndGet(TimeUnit.SECONDS.toNanos(20));
            uploader.tick(); // empty windows send nothing
            assertEquals(List.of(), cloud.collect(t -> true, 1, 1));
            assertEquals(1, uploader.stats().aggregates());
            assertEquals(0, uploader.stats().rateLimited());
        });
    }
}

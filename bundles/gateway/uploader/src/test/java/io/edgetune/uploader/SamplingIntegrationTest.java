package io.edgetune.uploader;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import io.edgetune.api.detect.Detection;
import io.edgetune.api.detect.Detections;
import io.edgetune.api.detect.DetectorStatus;
import io.edgetune.api.frame.CameraStatus;
import io.edgetune.api.frame.Frame;
import io.edgetune.api.frame.FramePool;
import io.edgetune.api.motion.Region;
import io.edgetune.cloud.mqtt.internal.ConnectionSettings;
import io.edgetune.cloud.mqtt.internal.MqttCloudConnection;
import io.edgetune.cloud.mqtt.internal.MqttCloudPublisher;
import io.edgetune.cloud.mqtt.testing.CloudClient;
import io.edgetune.testsupport.TestBroker;
import io.edgetune.uploader.internal.PolicySampler;
import io.edgetune.uploader.internal.SampleWorker;
import io.edgetune.uploader.internal.Uploader;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageIO;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.eclipse.kura.cloudconnection.message.KuraMessage;
import org.eclipse.kura.message.KuraPayload;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The annotator's view: frames of the sample video pass the sampling policies,
 * are encoded on the worker and arrive through the real MQTT connection and an
 * embedded broker at a separate cloud-side client, with the documented
 * metrics and a JPEG body that decodes.
 */
public class SamplingIntegrationTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void policySamplesArriveWithMetadataAndADecodableJpeg() throws Exception {
        try (TestBroker broker = TestBroker.create("moquette", tmp.newFolder("broker").toPath());
             FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(VideoFrames.video())) {
            broker.start();
            grabber.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
            grabber.start();
            CloudClient cloud = new CloudClient(broker.url(), "annotator");
            cloud.subscribe("edgetune/pi-1/EDGETUNE/#");
            MqttCloudConnection gw = new MqttCloudConnection(ConnectionSettings.from(Map.of("broker.url", broker.url(),
                    "client.id", "pi-1")), tmp.newFolder("outbox").toPath(), "test");
            gw.start();
            MqttCloudPublisher samples = new MqttCloudPublisher(gw, MqttCloudPublisher.Settings.from(Map.of(
                    "kura.service.pid", "edgetune-samples", "app.id", "EDGETUNE", "app.topic", "samples/$camera.id")));
            MqttCloudPublisher status = new MqttCloudPublisher(gw, MqttCloudPublisher.Settings.from(Map.of(
                    "kura.service.pid", "edgetune-status", "app.id", "EDGETUNE", "app.topic", "status")));
            AtomicLong clock = new AtomicLong(1_763_780_000_000L);
            // interval, novelty and uncertainty on; at most 3 samples per camera per hour; 20 MB/h
            PolicySampler.Settings settings = new PolicySampler.Settings(600, 0.15, 8, 0.3f, 0.6f, 0, 200, Set.of(), -1,
                    3, 20_000_000, 2_000_000, 100_000);
            SampleWorker worker = new SampleWorker(2, () -> samples, 90);
            worker.start();
            PolicySampler sampler = new PolicySampler(settings, worker, clock::get);
            FramePool pool = new FramePool(4, grabber.getImageWidth(), grabber.getImageHeight());
            int frames = 40;
            try {
                for (int i = 0; i < frames; i++) {
                    Frame f = grab(grabber, pool, i, clock.get());
                    float score = i == 2 || i >= 30 ? 0.45f : 0.88f; // uncertain persons: early on, and after the quota is spent
                    Detections d = new Detections("plaza", i, clock.get(), f.captureNanos(), "v7", "tflite-javacpp",
                            Detections.Mode.REGIONS, List.of(new Region(96, 180, 160, 200), new Region(480, 60, 120, 240)),
                            List.of(new Detection(1, "Person", score, 110.5f, 190f, 42f, 118f),
                                    new Detection(1, "Person", 0.71f, 500f, 80f, 38f, 110f)), 25_000_000, 31_000_000);
                    try {
                        sampler.onDetections(d, f);
                    } finally {
                        f.release();
                    }
                    long accepted = sampler.stats().accepted();
                    for (int w = 0; w < 3000 && worker.published() + worker.failed() < accepted; w++) {
                        Thread.sleep(10); // one sample at a time, so the small queue never overflows
                    }
                    clock.addAndGet(100);
                }
                List<CloudClient.Received> got = cloud.collect(t -> t.contains("/samples/"), 3, 30);
                assertEquals(3, got.size());
                List<String> reasons = new ArrayList<>();
                for (CloudClient.Received r : got) {
                    assertEquals("edgetune/pi-1/EDGETUNE/samples/plaza", r.topic());
                    KuraPayload p = r.payload();
                    reasons.add((String) p.getMetric("reason"));
                    assertEquals("plaza", p.getMetric("camera.id"));
                    assertEquals("image/jpeg", p.getMetric("content.type"));
                    assertEquals("v7", p.getMetric("model.version"));
                    assertEquals("tflite-javacpp", p.getMetric("backend"));
                    assertEquals(2, p.getMetric("detections.count"));
                    assertEquals("[[96,180,160,200],[480,60,120,240]]", p.getMetric("motion.regions"));
                    assertTrue((String) p.getMetric("detections"), ((String) p.getMetric("detections"))
                            .contains("\"l\":\"Person\""));
                    assertNotNull(p.getMetric("novelty"));
                    long seq = (Long) p.getMetric("frame.sequence");
                    assertEquals(1_763_780_000_000L + 100 * seq, p.getTimestamp().getTime());
                    BufferedImage img = ImageIO.read(new ByteArrayInputStream(p.getBody()));
                    assertNotNull("a JPEG", img);
                    assertEquals(768, img.getWidth());
                    assertEquals(576, img.getHeight());
                    System.out.printf("sample #%d %s: %d bytes, novelty %.3f%n", seq, p.getMetric("reason"),
                            p.getBody().length, (Double) p.getMetric("novelty"));
                }
                assertEquals("interval,novelty", reasons.get(0));
                assertEquals("uncertainty", reasons.get(1));
                assertEquals("novelty", reasons.get(2));
                assertEquals("the quota is spent", List.of(), cloud.collect(t -> t.contains("/samples/"), 1, 1));

                PolicySampler.Stats s = sampler.stats();
                assertEquals("the last 10 uncertain frames were refused by the quota: " + s, 10, s.refusedQuota());
                Uploader uploader = new Uploader(new Uploader.Settings(true, 0f, 2, 5, 16), () -> null);
                KuraPayload st = uploader.statusPayload(List.of(new CameraStatus("plaza", CameraStatus.State.RUNNING, null,
                        "vtest.avi", frames, frames - 1, 1, 9.7, 768, 576, clock.get(), 0)),
                        new DetectorStatus("tflite-javacpp", "cpu", null, "v7", 1, frames, 0, 25.0),
                        id -> 0.35, sampler, worker, null);
                status.publish(new KuraMessage(st));
                KuraPayload seen = cloud.await("edgetune/pi-1/EDGETUNE/status"::equals, 30).payload();
                System.out.println("status: " + seen.metrics());
                assertEquals(3L, seen.getMetric("samples.accepted"));
                assertEquals(3L, seen.getMetric("samples.published"));
                assertEquals(s.refusedQuota(), seen.getMetric("samples.refused.quota"));
                assertEquals(s.refusedQuota(), seen.getMetric("camera.plaza.samples.refused.quota"));
                assertEquals(0L, seen.getMetric("samples.refused.budget"));
                assertEquals(11L, seen.getMetric("samples.reason.uncertainty"));
                assertEquals(13L, seen.getMetric("samples.triggered"));
                assertEquals(0.35, (Double) seen.getMetric("camera.plaza.motion.skip.ratio"), 1e-9);
                assertEquals(1L, seen.getMetric("camera.plaza.frames.dropped"));
                assertEquals("v7", seen.getMetric("detector.model.version"));
                assertEquals(1, seen.getMetric("detector.queue.depth"));
                long bytes = (Long) seen.getMetric("samples.bytes");
                assertEquals(got.stream().mapToLong(r -> r.payload().getBody().length).sum(), bytes);
                long budgetLeft = (Long) seen.getMetric("samples.budget.available.bytes");
                assertTrue("spent from the 2 MB bucket, refilled at 5.6 kB/s for 4 s: " + budgetLeft,
                        budgetLeft >= 2_000_000 - bytes && budgetLeft <= 2_000_000 - bytes + 4 * 5_556);
            } finally {
                worker.stop(2000);
                gw.stop(3000);
                cloud.close();
            }
            assertEquals("all frames back in the pool", 4, pool.available());
        }
    }

    /** Decodes the next video frame into a pooled frame. */
    private static Frame grab(FFmpegFrameGrabber grabber, FramePool pool, long seq, long ts) throws Exception {
        org.bytedeco.javacv.Frame f = grabber.grabImage();
        ByteBuffer src = (ByteBuffer) f.image[0];
        Frame frame = pool.acquire();
        ByteBuffer dst = frame.pixels();
        dst.clear();
        int row = f.imageWidth * 3;
        for (int y = 0; y < f.imageHeight; y++) {
            src.limit(y * f.imageStride + row).position(y * f.imageStride);
            dst.put(src);
        }
        src.clear();
        dst.clear();
        return frame.fill("plaza", seq, ts, System.nanoTime(), f.imageWidth, f.imageHeight);
    }
}

package io.edgetune.uploader;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.edgetune.api.frame.Frame;
import io.edgetune.api.frame.FramePool;
import io.edgetune.cloud.mqtt.internal.ConnectionSettings;
import io.edgetune.cloud.mqtt.internal.MqttCloudConnection;
import io.edgetune.cloud.mqtt.internal.MqttCloudPublisher;
import io.edgetune.cloud.mqtt.testing.CloudClient;
import io.edgetune.testsupport.TestBroker;
import io.edgetune.uploader.internal.SampleTaker;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.eclipse.kura.message.KuraPayload;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** samples/now end to end: real frames of the sample video become JPEG samples on the cloud side. */
public class SampleTakerTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void requestedCamerasUploadTheirNextFrameOnly() throws Exception {
        File video = new File(System.getProperty("edgetune.assets"), "vtest.avi");
        assertTrue("sample video " + video, video.isFile());
        try (TestBroker broker = TestBroker.create("moquette", tmp.newFolder("broker").toPath());
             FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(video)) {
            broker.start();
            grabber.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
            grabber.start();
            CloudClient cloud = new CloudClient(broker.url(), "annotator");
            cloud.subscribe("edgetune/pi-1/EDGETUNE/samples/#");
            MqttCloudConnection gw = new MqttCloudConnection(ConnectionSettings.from(Map.of("broker.url", broker.url(),
                    "client.id", "pi-1")), tmp.newFolder("outbox").toPath(), "test");
            gw.start();
            MqttCloudPublisher samples = new MqttCloudPublisher(gw, MqttCloudPublisher.Settings.from(Map.of(
                    "kura.service.pid", "edgetune-samples", "app.id", "EDGETUNE", "app.topic", "samples/$camera.id")));
            SampleTaker taker = new SampleTaker(() -> List.of("plaza", "gate"), () -> samples, 0.9f);
            taker.start();
            FramePool pool = new FramePool(2, grabber.getImageWidth(), grabber.getImageHeight());
            try {
                IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> taker.sampleNow("nope", "request"));
                assertTrue(unknown.getMessage().contains("nope"));

                feed(grabber, pool, taker, "plaza", 3); // nothing requested yet: nothing sent
                assertEquals(1, taker.sampleNow("plaza", "request"));
                feed(grabber, pool, taker, "gate", 2); // other camera: not taken
                feed(grabber, pool, taker, "plaza", 5); // only the first of these is taken
                CloudClient.Received r = cloud.await(t -> true, 30);
                assertEquals("edgetune/pi-1/EDGETUNE/samples/plaza", r.topic());
                KuraPayload p = r.payload();
                assertEquals("request", p.getMetric("reason"));
                assertEquals(6L, p.getMetric("frame.sequence"));
                BufferedImage img = ImageIO.read(new ByteArrayInputStream(p.getBody()));
                assertNotNull(img);
                assertEquals(768, img.getWidth());
                assertEquals(576, img.getHeight());

                assertEquals(2, taker.sampleNow(null, "audit"));
                feed(grabber, pool, taker, "gate", 1);
                feed(grabber, pool, taker, "plaza", 1);
                List<CloudClient.Received> two = cloud.collect(t -> true, 2, 30);
                assertEquals(2, two.size());
                assertEquals("audit", two.get(0).payload().getMetric("reason"));
                assertEquals(List.of(), cloud.collect(t -> true, 1, 1));
                assertEquals(3, taker.published());
                assertEquals(0, taker.dropped());
            } finally {
                taker.stop(2000);
                gw.stop(3000);
                cloud.close();
            }
        }
    }

    private long sequence;

    /** Decodes n frames of the video and hands them to the taker as camera {@code camera}'s frames. */
    private void feed(FFmpegFrameGrabber grabber, FramePool pool, SampleTaker taker, String camera, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            org.bytedeco.javacv.Frame f = grabber.grabImage();
            ByteBuffer src = (ByteBuffer) f.image[0];
            Frame frame = pool.acquire();
            ByteBuffer dst = frame.pixels();
            byte[] row = new byte[f.imageWidth * 3];
            for (int y = 0; y < f.imageHeight; y++) {
                src.position(y * f.imageStride);
                src.get(row);
                dst.position(y * row.length);
                dst.put(row);
            }
            dst.position(0);
            frame.fill(camera, ++sequence, System.currentTimeMillis(), System.nanoTime(), f.imageWidth, f.imageHeight);
            taker.onFrame(frame);
            frame.release();
        }
    }
}

package io.edgetune.uploader;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;

import io.edgetune.api.detect.Detection;
import io.edgetune.api.detect.Detections;
import io.edgetune.api.frame.Frame;
import io.edgetune.api.frame.FramePool;
import io.edgetune.api.motion.Region;
import io.edgetune.cloud.mqtt.internal.ConnectionSettings;
import io.edgetune.cloud.mqtt.internal.MqttCloudConnection;
import io.edgetune.cloud.mqtt.internal.MqttCloudPublisher;
import io.edgetune.cloud.mqtt.testing.CloudClient;
import io.edgetune.testsupport.TestBroker;
import io.edgetune.uploader.internal.UploaderComponent;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import org.eclipse.kura.message.KuraPayload;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The DS component as the framework drives it: activate with the MetaType
 * defaults (plus a short status interval), detections with real frames,
 * deactivate while frames are in flight, activate again.
 */
public class UploaderComponentTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    /** The Config annotation with its declared defaults, except the given overrides. */
    private static UploaderComponent.Config config(Map<String, Object> overrides) {
        return (UploaderComponent.Config) Proxy.newProxyInstance(UploaderComponent.Config.class.getClassLoader(),
                new Class<?>[] {UploaderComponent.Config.class}, (proxy, m, args) -> {
                    if (overrides.containsKey(m.getName())) {
                        return overrides.get(m.getName());
                    }
                    Object d = m.getDefaultValue();
                    if (d == null) {
                        throw new IllegalStateException("no default for " + m.getName());
                    }
                    return d;
                });
    }

    private static void inject(Object target, String field, Object value) throws Exception {
        Field f = UploaderComponent.class.getDeclaredField(field);
        f.setAccessible(true);
        f.set(target, value);
    }

    private static void call(Object target, String method, Object... args) throws Exception {
        for (Method m : UploaderComponent.class.getDeclaredMethods()) {
            if (m.getName().equals(method)) {
                m.setAccessible(true);
                m.invoke(target, args);
                return;
            }
        }
        throw new NoSuchMethodException(method);
    }

    @Test
    public void defaultsSampleTheFirstFrameAndSurviveARestart() throws Exception {
        Map<Integer, byte[]> frames = VideoFrames.read(0, 1);
        try (TestBroker broker = TestBroker.create("moquette", tmp.newFolder("broker").toPath())) {
            broker.start();
            CloudClient cloud = new CloudClient(broker.url(), "annotator");
            cloud.subscribe("edgetune/pi-1/EDGETUNE/#");
            MqttCloudConnection gw = new MqttCloudConnection(ConnectionSettings.from(Map.of("broker.url", broker.url(),
                    "client.id", "pi-1")), tmp.newFolder("outbox").toPath(), "test");
            gw.start();
            UploaderComponent c = new UploaderComponent();
            inject(c, "samplePublisher", new MqttCloudPublisher(gw, MqttCloudPublisher.Settings.from(Map.of(
                    "kura.service.pid", "edgetune-samples", "app.id", "EDGETUNE", "app.topic", "samples/$camera.id"))));
            inject(c, "statusPublisher", new MqttCloudPublisher(gw, MqttCloudPublisher.Settings.from(Map.of(
                    "kura.service.pid", "edgetune-status", "app.id", "EDGETUNE", "app.topic", "status"))));
            inject(c, "cameras", List.of());
            FramePool pool = new FramePool(4, VideoFrames.WIDTH, VideoFrames.HEIGHT);
            UploaderComponent.Config cfg = config(Map.of("status_interval_s", 1));
            try {
                call(c, "activate", cfg);
                feed(c, pool, frames.get(0), 1);
                KuraPayload first = cloud.await(t -> t.endsWith("/samples/plaza"), 30).payload();
                assertEquals("interval,novelty", first.getMetric("reason"));
                assertNotNull(first.getBody());
                KuraPayload status = cloud.await(t -> t.endsWith("/status"), 30).payload();
                assertEquals(1L, status.getMetric("samples.accepted"));

                // stop while the encoder may still hold a frame, then start again
                feed(c, pool, frames.get(1), 2);
                call(c, "deactivate");
                assertEquals("no frame kept after deactivate", 4, pool.available());
                call(c, "activate", cfg);
                feed(c, pool, frames.get(1), 3); // a fresh sampler: first frame again
                KuraPayload again = cloud.await(t -> t.endsWith("/samples/plaza"), 30).payload();
                assertEquals("frame 2 is too close to frame 1; frame 3 is the restarted sampler's first",
                        3L, again.getMetric("frame.sequence"));
                assertEquals("interval,novelty", again.getMetric("reason"));
                assertEquals(List.of(), cloud.collect(t -> t.endsWith("/samples/plaza"), 1, 2));
            } finally {
                call(c, "deactivate");
                gw.stop(3000);
                cloud.close();
            }
            assertEquals(4, pool.available());
        }
    }

    private static void feed(UploaderComponent c, FramePool pool, byte[] bgr, long seq) {
        Frame f = VideoFrames.frame(pool, bgr, "plaza", seq, System.currentTimeMillis());
        try {
            c.onDetections(new Detections("plaza", seq, f.timestampMillis(), f.captureNanos(), "v1", "tflite-javacpp",
                    Detections.Mode.REGIONS, List.of(new Region(96, 180, 160, 200)),
                    List.of(new Detection(1, "Person", 0.9f, 110f, 190f, 42f, 118f)), 25_000_000, 31_000_000), f);
        } finally {
            f.release();
        }
    }
}

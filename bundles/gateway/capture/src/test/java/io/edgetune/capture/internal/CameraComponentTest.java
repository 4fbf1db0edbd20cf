package io.edgetune.capture.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.edgetune.api.frame.CameraStatus;
import io.edgetune.api.frame.FrameListener;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.Test;

/** The DS component without a framework, on the real sample video. */
public class CameraComponentTest {

    /** The configuration as DS builds it: attribute defaults, some replaced. */
    static CameraConfig config(Map<String, Object> overrides) {
        return (CameraConfig) Proxy.newProxyInstance(CameraConfig.class.getClassLoader(), new Class<?>[] {CameraConfig.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "annotationType" -> CameraConfig.class;
                    case "toString" -> "CameraConfig" + overrides;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> overrides.getOrDefault(method.getName(), method.getDefaultValue());
                });
    }

    @Test
    public void framesGoOnlyToListenersOfThisCameraOrOfAll() throws Exception {
        CameraComponent c = new CameraComponent();
        AtomicInteger mine = new AtomicInteger();
        AtomicInteger all = new AtomicInteger();
        AtomicInteger other = new AtomicInteger();
        c.addFrameListener(f -> mine.incrementAndGet(), Map.of(FrameListener.CAMERA_ID, "plaza"));
        c.addFrameListener(f -> all.incrementAndGet(), Map.of());
        FrameListener otherListener = f -> other.incrementAndGet();
        c.addFrameListener(otherListener, Map.of(FrameListener.CAMERA_ID, new String[] {"gate"}));
        Map<String, Object> cfg = new HashMap<>();
        cfg.put("camera_id", "plaza");
        cfg.put("source_uri", TestVideo.file().toURI().toString());
        cfg.put("file_realtime", false);
        cfg.put("target_fps", 0.0);
        cfg.put("decode_height", 144);
        c.activate(config(cfg));
        try {
            assertEquals("plaza", c.cameraId());
            assertTrue(TestVideo.await(() -> c.status().state() == CameraStatus.State.ENDED, 60_000));
            TestVideo.await(() -> c.status().framesDelivered() + c.status().framesDropped() == TestVideo.FRAMES, 5_000);
            CameraStatus s = c.status();
            assertEquals(192, s.width());
            assertTrue(s.framesDelivered() > 0);
            assertEquals(s.framesDelivered(), mine.get());
            assertEquals(s.framesDelivered(), all.get());
            assertEquals(0, other.get());
            c.removeFrameListener(otherListener);
        } finally {
            c.deactivate();
        }
    }

    @Test
    public void aDisabledCameraReportsStopped() {
        CameraComponent c = new CameraComponent();
        c.activate(config(Map.of("camera_id", "off", "source_uri", "/dev/video9", "enabled", false)));
        CameraStatus s = c.status();
        assertEquals(CameraStatus.State.STOPPED, s.state());
        assertEquals("disabled", s.message());
        c.deactivate();
    }

    @Test
    public void aBadConfigurationIsReportedInTheStatus() {
        CameraComponent c = new CameraComponent();
        c.activate(config(Map.of("camera_id", "nosource")));
        CameraStatus s = c.status();
        assertEquals(CameraStatus.State.STOPPED, s.state());
        assertTrue(s.message(), s.message().contains("source.uri must not be empty"));
        c.deactivate();
    }

    @Test
    public void passwordsNeverShowInTheStatus() {
        CameraSettings s = new CameraSettings("door", true, "rtsp://cam.local:554/stream1", CameraSettings.Backend.FFMPEG,
                "admin", "s3cr:t@", 5, 0, 0, false, true, 100, 1000, 1000, 4);
        assertEquals("rtsp://admin:s3cr%3At%40@cam.local:554/stream1", s.decoderLocation());
        assertEquals("rtsp://cam.local:554/stream1", s.displayLocation());
        CameraSettings inline = new CameraSettings("door", true, "http://u:p@cam.local/mjpg", CameraSettings.Backend.FFMPEG,
                "", "", 5, 0, 0, false, true, 100, 1000, 1000, 4);
        assertEquals("http://***@cam.local/mjpg", inline.displayLocation());
        assertEquals(CameraSettings.SourceKind.DEVICE, new CameraSettings("usb", true, "/dev/video0", CameraSettings.Backend.FFMPEG,
                "", "", 5, 0, 0, false, true, 100, 1000, 1000, 4).kind());
        assertNull(CameraComponent.cameraFilter(new String[0]));
    }

    @Test
    public void theOpenCvBackendIsOnlyOfferedForDevices() {
        CameraComponent c = new CameraComponent();
        c.activate(config(Map.of("camera_id", "cv", "source_uri", TestVideo.file().getPath(), "source_backend", "opencv")));
        assertTrue(c.status().message(), c.status().message().contains("V4L2 devices"));
        c.deactivate();
    }
}

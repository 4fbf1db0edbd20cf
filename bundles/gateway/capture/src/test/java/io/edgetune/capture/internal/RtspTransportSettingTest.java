package io.edgetune.capture.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.edgetune.api.frame.CameraStatus;
import io.edgetune.capture.internal.CameraSettings.RtspTransport;
import java.util.Map;
import org.junit.Test;

/** The rtsp.transport setting: parsed, defaulted and refused with a clear reason. */
public class RtspTransportSettingTest {

    @Test
    public void valuesParseInAnyCaseAndEmptyMeansTcp() {
        assertEquals(RtspTransport.TCP, RtspTransport.parse("tcp"));
        assertEquals(RtspTransport.UDP, RtspTransport.parse(" UDP "));
        assertEquals(RtspTransport.AUTO, RtspTransport.parse("Auto"));
        assertEquals(RtspTransport.TCP, RtspTransport.parse(""));
        assertEquals(RtspTransport.TCP, RtspTransport.parse(null));
        assertEquals("tcp", RtspTransport.TCP.ffmpegValue());
        assertEquals("udp", RtspTransport.UDP.ffmpegValue());
        assertEquals("udp+tcp", RtspTransport.AUTO.ffmpegValue());
    }

    @Test
    public void anUnknownValueIsRefused() {
        for (String bad : new String[] {"http", "udp_multicast", "tcp,udp", "udp+tcp"}) {
            try {
                RtspTransport.parse(bad);
                fail(bad + " accepted");
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage(), e.getMessage().contains("rtsp.transport must be tcp, udp or auto"));
                assertTrue(e.getMessage(), e.getMessage().contains("'" + bad + "'"));
            }
        }
    }

    @Test
    public void theMetaTypeDefaultIsTcpAsBefore() {
        CameraSettings s = CameraSettings.from(CameraComponentTest.config(Map.of("source_uri", "rtsp://cam.local/s")));
        assertEquals(RtspTransport.TCP, s.rtspTransport());
        assertEquals(RtspTransport.TCP, CameraSettings.forTest("t", "rtsp://cam.local/s").rtspTransport());
        assertEquals(RtspTransport.UDP, CameraSettings.from(CameraComponentTest.config(
                Map.of("source_uri", "rtsp://cam.local/s", "rtsp_transport", "udp"))).rtspTransport());
        assertEquals(RtspTransport.AUTO, CameraSettings.forTest("t", "rtsp://cam.local/s").withRtspTransport(RtspTransport.AUTO).rtspTransport());
    }

    @Test
    public void aBadTransportStopsTheCameraAtActivationWithTheReason() {
        CameraComponent c = new CameraComponent();
        c.activate(CameraComponentTest.config(Map.of("camera_id", "door", "source_uri", "rtsp://127.0.0.1:9/s", "rtsp_transport", "quic")));
        try {
            CameraStatus s = c.status();
            assertEquals(CameraStatus.State.STOPPED, s.state());
            assertTrue(s.message(), s.message().contains("camera door: rtsp.transport must be tcp, udp or auto, was 'quic'"));
        } finally {
            c.deactivate();
        }
    }
}

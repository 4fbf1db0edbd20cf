package io.edgetune.capture.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.edgetune.api.frame.CameraStatus;
import io.edgetune.api.frame.CameraStatus.State;
import io.edgetune.capture.internal.CameraSettings.RtspTransport;
import io.edgetune.capture.internal.RtspTestServer.Transports;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The camera against a real RTSP server (Debian's GStreamer RTSP server serving the sample video as
 * H.264 on loopback), over each transport, refused over the one the server does not offer, and back
 * on its own after the server is cut off and restored.
 */
public class RtspCameraTest {

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    private static RtspTestServer tcpOnly;
    private static RtspTestServer udpOnly;

    @BeforeClass
    public static void startServers() throws Exception {
        tcpOnly = new RtspTestServer(tmp.newFolder("tcp").toPath(), TestVideo.file().toPath(), Transports.TCP);
        udpOnly = new RtspTestServer(tmp.newFolder("udp").toPath(), TestVideo.file().toPath(), Transports.UDP);
        tcpOnly.start();
        udpOnly.start();
    }

    @AfterClass
    public static void stopServers() throws Exception {
        if (tcpOnly != null) {
            tcpOnly.close();
        }
        if (udpOnly != null) {
            udpOnly.close();
        }
    }

    private static CameraSettings settings(String id, String url, RtspTransport transport) {
        return new CameraSettings(id, true, url, CameraSettings.Backend.FFMPEG, "", "", 0, 0, 0, false, false,
                250, 1000, 3000, 4, transport);
    }

    /** Runs a camera until it has delivered {@code frames} frames of the sample video's size; its final status. */
    private static CameraStatus framesFrom(RtspTestServer server, RtspTransport transport, int frames) throws Exception {
        AtomicLong delivered = new AtomicLong();
        AtomicLong wrongSize = new AtomicLong();
        CameraRunner runner = new CameraRunner(settings("rtsp-" + transport, server.url(), transport), f -> {
            if (f.width() != TestVideo.WIDTH || f.height() != TestVideo.HEIGHT) {
                wrongSize.incrementAndGet();
            }
            delivered.incrementAndGet();
        });
        runner.start();
        try {
            assertTrue("no frames over " + transport + ": " + runner.status(), TestVideo.await(() -> delivered.get() >= frames, 20_000));
            CameraStatus s = runner.status();
            assertEquals(s.toString(), State.RUNNING, s.state());
            assertEquals(0, wrongSize.get());
            assertEquals(s.toString(), 0, s.reconnects());
            return s;
        } finally {
            runner.stop();
        }
    }

    /** A camera asking for a transport the server does not offer never gets a frame and says why. */
    private static void refused(RtspTestServer server, RtspTransport transport) throws Exception {
        CameraRunner runner = new CameraRunner(settings("rtsp-refused-" + transport, server.url(), transport), f -> { });
        runner.start();
        try {
            assertTrue("not refused: " + runner.status(), TestVideo.await(() -> runner.status().state() == State.RECONNECTING, 15_000));
            CameraStatus s = runner.status();
            assertTrue(s.message(), s.message().startsWith("cannot open " + server.url()));
            assertTrue(s.message(), s.message().contains("(rtsp.transport " + transport.name().toLowerCase() + "): "
                    + "the camera does not offer RTSP transport " + transport.name().toLowerCase()));
            // it keeps trying, and keeps failing
            Thread.sleep(1500);
            s = runner.status();
            assertEquals(s.toString(), 0, s.framesGrabbed());
            assertEquals(s.toString(), State.RECONNECTING, s.state());
        } finally {
            runner.stop();
        }
    }

    @Test
    public void tcpReadsATcpOnlyServer() throws Exception {
        framesFrom(tcpOnly, RtspTransport.TCP, 15);
    }

    @Test
    public void udpReadsAUdpOnlyServer() throws Exception {
        framesFrom(udpOnly, RtspTransport.UDP, 15);
    }

    @Test
    public void autoReadsBothServers() throws Exception {
        framesFrom(udpOnly, RtspTransport.AUTO, 15);
        framesFrom(tcpOnly, RtspTransport.AUTO, 15);
    }

    @Test
    public void tcpIsRefusedByAUdpOnlyServer() throws Exception {
        refused(udpOnly, RtspTransport.TCP);
    }

    @Test
    public void udpIsRefusedByATcpOnlyServer() throws Exception {
        refused(tcpOnly, RtspTransport.UDP);
    }

    @Test
    public void aCameraOverTcpComesBackAfterTheServerIsCutAndRestored() throws Exception {
        cutAndRestore(Transports.TCP, RtspTransport.TCP);
    }

    @Test
    public void aCameraOverUdpComesBackAfterTheServerIsCutAndRestored() throws Exception {
        cutAndRestore(Transports.UDP, RtspTransport.UDP);
    }

    private static void cutAndRestore(Transports offered, RtspTransport transport) throws Exception {
        try (RtspTestServer server = new RtspTestServer(tmp.newFolder().toPath(), TestVideo.file().toPath(), offered)) {
            server.start();
            AtomicLong delivered = new AtomicLong();
            CameraRunner runner = new CameraRunner(settings("rtsp-cut-" + transport, server.url(), transport), f -> delivered.incrementAndGet());
            runner.start();
            try {
                assertTrue("no frames: " + runner.status(), TestVideo.await(() -> delivered.get() >= 10, 20_000));

                long cut = System.nanoTime();
                server.kill();
                // grab.timeout.ms (3 s) bounds how long a dead server goes unnoticed
                assertTrue("cut not noticed: " + runner.status(), TestVideo.await(() -> runner.status().state() == State.RECONNECTING, 8_000));
                long noticedMillis = (System.nanoTime() - cut) / 1_000_000;
                // down long enough for failed retries to grow the backoff to reconnect.max.ms (1 s)
                Thread.sleep(2500);
                CameraStatus down = runner.status();
                assertEquals(down.toString(), State.RECONNECTING, down.state());
                assertTrue(down.message(), down.message().startsWith("cannot open " + server.url()));
                assertTrue(down.message(), down.message().contains("Connection refused"));
                long before = delivered.get();

                long restored = System.nanoTime();
                server.start();
                // the longest retry wait (1 s) plus the server's first frames
                assertTrue("no recovery: " + runner.status(), TestVideo.await(() -> delivered.get() > before, 10_000));
                long backMillis = (System.nanoTime() - restored) / 1_000_000;
                assertTrue("no frames after recovery: " + runner.status(), TestVideo.await(() -> delivered.get() >= before + 10, 10_000));
                CameraStatus s = runner.status();
                assertEquals(s.toString(), State.RUNNING, s.state());
                assertTrue(s.toString(), s.reconnects() >= 1);
                System.out.printf("RTSP over %s: cut noticed after %d ms, first frame %d ms after the server came back%n",
                        transport, noticedMillis, backMillis);
            } finally {
                runner.stop();
            }
        }
    }
}

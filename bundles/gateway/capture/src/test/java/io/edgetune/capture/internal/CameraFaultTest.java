package io.edgetune.capture.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.edgetune.api.frame.CameraStatus;
import io.edgetune.api.frame.CameraStatus.State;
import java.io.File;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Each fault a camera meets, on real data: the status says what happened and the camera recovers when it can. */
public class CameraFaultTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static CameraSettings settings(String id, String uri, long grabTimeoutMillis) {
        return new CameraSettings(id, true, uri, CameraSettings.Backend.FFMPEG, "", "", 0, 0, 0, false, false,
                100, 400, grabTimeoutMillis, 4);
    }

    @Test
    public void aMissingFileIsRetriedAndReported() throws Exception {
        File missing = new File(tmp.getRoot(), "no-such-video.avi");
        CameraRunner runner = new CameraRunner(settings("cam-missing", missing.getPath(), 1000), f -> { });
        runner.start();
        try {
            assertTrue(TestVideo.await(() -> runner.status().state() == State.RECONNECTING, 10_000));
            CameraStatus s = runner.status();
            assertTrue(s.message(), s.message().contains("no such file"));
            assertEquals(0, s.framesGrabbed());
            // it keeps retrying; once the file appears the camera runs
            Files.copy(TestVideo.file().toPath(), missing.toPath());
            assertTrue(TestVideo.await(() -> runner.status().framesDelivered() > 0, 20_000));
            assertEquals(1, runner.status().reconnects());
        } finally {
            runner.stop();
        }
    }

    @Test
    public void aFileOfGarbageBytesCannotBeOpened() throws Exception {
        File garbage = tmp.newFile("garbage.avi");
        byte[] bytes = new byte[256 * 1024];
        new Random(42).nextBytes(bytes);
        Files.write(garbage.toPath(), bytes);
        CameraRunner runner = new CameraRunner(settings("cam-garbage", garbage.getPath(), 1000), f -> { });
        runner.start();
        try {
            assertTrue(TestVideo.await(() -> runner.status().state() == State.RECONNECTING, 20_000));
            CameraStatus s = runner.status();
            assertTrue(s.message(), s.message().startsWith("cannot open") || s.message().contains("no video stream"));
            assertEquals(0, s.framesDelivered());
        } finally {
            runner.stop();
        }
        assertEquals(State.STOPPED, runner.status().state());
    }

    @Test
    public void aTruncatedVideoEndsCleanlyAfterTheFramesItHas() throws Exception {
        File cut = tmp.newFile("vtest-truncated.avi");
        long keep = TestVideo.file().length() * 2 / 5;
        try (InputStream in = Files.newInputStream(TestVideo.file().toPath());
             OutputStream out = Files.newOutputStream(cut.toPath())) {
            out.write(in.readNBytes((int) keep));
        }
        AtomicLong delivered = new AtomicLong();
        CameraRunner runner = new CameraRunner(settings("cam-cut", cut.getPath(), 1000), f -> delivered.incrementAndGet());
        runner.start();
        try {
            assertTrue(TestVideo.await(() -> runner.status().state() == State.ENDED, 30_000));
            CameraStatus s = runner.status();
            // about 40% of the frames decode, then the file simply ends
            assertTrue(s.toString(), s.framesGrabbed() > 200 && s.framesGrabbed() < TestVideo.FRAMES);
            assertEquals(0, s.reconnects());
        } finally {
            runner.stop();
        }
        assertEquals(State.ENDED, runner.status().state());
        assertTrue(delivered.get() > 200);
    }

    @Test
    public void anMjpegStreamThatDiesIsReconnectedWhenItComesBack() throws Exception {
        List<byte[]> jpegs = MjpegTestServer.encodeSampleFrames(20);
        try (MjpegTestServer server = new MjpegTestServer(jpegs, 25)) {
            server.start();
            AtomicLong delivered = new AtomicLong();
            CameraRunner runner = new CameraRunner(settings("cam-mjpeg", server.url(), 2000), f -> {
                assertEquals(TestVideo.WIDTH, f.width());
                delivered.incrementAndGet();
            });
            runner.start();
            try {
                assertTrue("no frames: " + runner.status(), TestVideo.await(() -> delivered.get() >= 10, 20_000));
                assertEquals(State.RUNNING, runner.status().state());

                server.kill();
                assertTrue("no reconnect: " + runner.status(), TestVideo.await(() -> runner.status().state() == State.RECONNECTING, 20_000));
                long before = delivered.get();

                server.start();
                assertTrue("no recovery: " + runner.status(), TestVideo.await(() -> delivered.get() >= before + 10, 30_000));
                CameraStatus s = runner.status();
                assertEquals(State.RUNNING, s.state());
                assertTrue(s.toString(), s.reconnects() >= 1);
            } finally {
                runner.stop();
            }
        }
    }

    @Test
    public void aStalledStreamTimesOutAndIsReopened() throws Exception {
        List<byte[]> jpegs = MjpegTestServer.encodeSampleFrames(5);
        try (MjpegTestServer server = new MjpegTestServer(jpegs, 25)) {
            server.stallAfter(15);
            server.start();
            CameraRunner runner = new CameraRunner(settings("cam-stall", server.url(), 1000), f -> { });
            runner.start();
            try {
                assertTrue(TestVideo.await(() -> runner.status().framesDelivered() > 0, 20_000));
                // the connection stays open but silent: the grab timeout must end the wait
                assertTrue("no timeout: " + runner.status(), TestVideo.await(() -> runner.status().state() == State.RECONNECTING, 20_000));
                assertTrue(runner.status().message(), runner.status().message().contains("stalled") || runner.status().message().contains("ended"));
                server.stallAfter(-1);
                long before = runner.status().framesDelivered();
                assertTrue(TestVideo.await(() -> runner.status().framesDelivered() > before + 10, 20_000));
                assertTrue(runner.status().reconnects() >= 1);
            } finally {
                runner.stop();
            }
        }
    }
}

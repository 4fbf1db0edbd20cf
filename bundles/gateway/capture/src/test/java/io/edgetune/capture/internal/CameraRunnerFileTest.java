package io.edgetune.capture.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.edgetune.api.frame.CameraStatus;
import io.edgetune.api.frame.CameraStatus.State;
import io.edgetune.api.frame.Frame;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.Test;

/** The camera on the real sample video (768x576, 10 fps, 795 frames). */
public class CameraRunnerFileTest {

    private static CameraSettings fast(String id) {
        return CameraSettings.forTest(id, TestVideo.file().getAbsolutePath());
    }

    private static CameraSettings with(CameraSettings s, double targetFps, int decodeHeight, boolean loop, boolean realtime) {
        return new CameraSettings(s.cameraId(), true, s.sourceUri(), s.backend(), "", "", targetFps, 0, decodeHeight,
                loop, realtime, s.reconnectInitialMillis(), s.reconnectMaxMillis(), s.grabTimeoutMillis(), s.poolSize());
    }

    private static CameraStatus runToEnd(CameraRunner runner) throws InterruptedException {
        runner.start();
        try {
            assertTrue("video did not end: " + runner.status(), TestVideo.await(() -> runner.status().state() == State.ENDED, 60_000));
            // the dispatcher may still be handing over the last frame
            TestVideo.await(() -> {
                CameraStatus s = runner.status();
                return s.framesDelivered() + s.framesDropped() == s.framesGrabbed();
            }, 5_000);
            return runner.status();
        } finally {
            runner.stop();
        }
    }

    @Test
    public void everyFrameOfTheFileArrivesInOrderWithItsPixels() throws Exception {
        List<Long> sequences = new ArrayList<>();
        Map<Long, byte[]> copies = new HashMap<>();
        CameraRunner runner = new CameraRunner(fast("cam-file"), frame -> {
            sequences.add(frame.sequence());
            assertEquals(TestVideo.WIDTH, frame.width());
            assertEquals(TestVideo.HEIGHT, frame.height());
            assertEquals("cam-file", frame.cameraId());
            if (copies.size() < 6 && (copies.isEmpty() || frame.sequence() % 50 == 0)) {
                byte[] b = new byte[frame.byteSize()];
                frame.pixels().get(0, b);
                copies.put(frame.sequence(), b);
            }
        });
        CameraStatus s = runToEnd(runner);
        assertEquals(State.ENDED, s.state());
        assertEquals(TestVideo.FRAMES, s.framesGrabbed());
        assertEquals(s.framesGrabbed(), s.framesDelivered() + s.framesDropped());
        assertEquals(0, runner.corruptFrames());
        assertEquals(s.framesDelivered(), sequences.size());
        for (int i = 1; i < sequences.size(); i++) {
            assertTrue("sequence must grow: " + sequences.get(i - 1) + " then " + sequences.get(i), sequences.get(i) > sequences.get(i - 1));
        }
        // the pooled BGR pixels equal what JavaCV decodes on its own for the same frames
        assertTrue(copies.toString(), copies.size() >= 4);
        long compared = 0;
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(TestVideo.file())) {
            g.start();
            for (long n = 0; n <= 300 && compared < copies.size(); n++) {
                org.bytedeco.javacv.Frame f = g.grabImage();
                byte[] mine = copies.get(n);
                if (mine == null) {
                    continue;
                }
                compared++;
                ByteBuffer ref = (ByteBuffer) f.image[0];
                for (int y = 0; y < f.imageHeight; y += 7) {
                    for (int x = 0; x < f.imageWidth * 3; x += 5) {
                        assertEquals("frame " + n + " byte " + x + " of row " + y,
                                ref.get(y * f.imageStride + x), mine[y * f.imageWidth * 3 + x]);
                    }
                }
            }
            g.stop();
        }
    }

    @Test
    public void aSlowConsumerCostsDroppedFramesNotAStalledGrabber() throws Exception {
        AtomicLong slowCalls = new AtomicLong();
        CameraRunner runner = new CameraRunner(fast("cam-slow"), frame -> {
            slowCalls.incrementAndGet();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        CameraStatus s = runToEnd(runner);
        // the decoder reached the end although the consumer takes 50 ms a frame
        assertEquals(TestVideo.FRAMES, s.framesGrabbed());
        assertTrue("frames must have been dropped: " + s, s.framesDropped() > s.framesGrabbed() / 2);
        assertEquals(s.framesGrabbed(), s.framesDelivered() + s.framesDropped());
        assertEquals(slowCalls.get(), s.framesDelivered());
    }

    @Test
    public void heldFramesExhaustThePoolAndAreCountedAsDrops() throws Exception {
        List<Frame> kept = new ArrayList<>();
        CameraRunner runner = new CameraRunner(fast("cam-hold"), frame -> kept.add(frame.retain()));
        CameraStatus s = runToEnd(runner);
        // a consumer that never releases gets exactly the pool's frames, the rest are dropped
        assertEquals(4, kept.size());
        assertEquals(TestVideo.FRAMES - 4, s.framesDropped());
        kept.forEach(Frame::release);
    }

    @Test
    public void targetFpsDeliversEveryOtherFrameOfATenFpsFile() throws Exception {
        List<Long> sequences = new ArrayList<>();
        CameraRunner runner = new CameraRunner(with(fast("cam-5fps"), 5, 0, false, false), f -> sequences.add(f.sequence()));
        CameraStatus s = runToEnd(runner);
        // frames 0, 2, 4, ... pass the rate limit; a few of those may still be dropped at the hand-off
        assertTrue(s.toString(), s.framesDelivered() <= (TestVideo.FRAMES + 1) / 2 && s.framesDelivered() > 300);
        assertEquals(0L, (long) sequences.get(0));
        assertTrue(sequences.stream().allMatch(n -> n % 2 == 0));
    }

    @Test
    public void decodeHeightScalesAndKeepsTheAspectRatio() throws Exception {
        AtomicInteger wrong = new AtomicInteger();
        CameraRunner runner = new CameraRunner(with(fast("cam-small"), 0, 288, false, false), f -> {
            if (f.width() != 384 || f.height() != 288) {
                wrong.incrementAndGet();
            }
        });
        CameraStatus s = runToEnd(runner);
        assertEquals(0, wrong.get());
        assertEquals(384, s.width());
        assertEquals(288, s.height());
    }

    @Test
    public void aLoopedFileKeepsRunningPastItsEnd() throws Exception {
        CameraRunner runner = new CameraRunner(with(fast("cam-loop"), 0, 144, true, false), f -> { });
        runner.start();
        try {
            assertTrue(TestVideo.await(() -> runner.status().framesGrabbed() > TestVideo.FRAMES + 50, 60_000));
            assertEquals(State.RUNNING, runner.status().state());
        } finally {
            runner.stop();
        }
        assertEquals(State.STOPPED, runner.status().state());
    }

    @Test
    public void aRealtimeFileIsPacedLikeALiveCamera() throws Exception {
        long[] captured = new long[20];
        CameraRunner runner = new CameraRunner(with(fast("cam-paced"), 0, 144, false, true), f -> {
            if (f.sequence() < captured.length) {
                captured[(int) f.sequence()] = f.captureNanos();
            }
        });
        runner.start();
        try {
            assertTrue(TestVideo.await(() -> runner.status().framesDelivered() >= 16, 20_000));
        } finally {
            runner.stop();
        }
        // at 10 fps frames n and m are (m - n) / 10 s of video apart; unpaced they decode within milliseconds.
        // A lower bound only: a loaded machine can make it slower, never faster.
        int first = 0;
        int last = captured.length - 1;
        while (captured[first] == 0) {
            first++;
        }
        while (captured[last] == 0) {
            last--;
        }
        long spread = captured[last] - captured[first];
        assertTrue("frames " + first + ".." + last + " within " + spread / 1_000_000 + " ms",
                last - first >= 10 && spread >= (last - first) * 90_000_000L);
    }
}

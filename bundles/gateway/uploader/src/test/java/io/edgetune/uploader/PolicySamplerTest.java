package io.edgetune.uploader;

import static io.edgetune.uploader.internal.PolicySampler.INTERVAL;
import static io.edgetune.uploader.internal.PolicySampler.MOTION;
import static io.edgetune.uploader.internal.PolicySampler.TRACK;
import static io.edgetune.uploader.internal.PolicySampler.NOVELTY;
import static io.edgetune.uploader.internal.PolicySampler.RARE;
import static io.edgetune.uploader.internal.PolicySampler.UNCERTAINTY;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.edgetune.api.detect.Detection;
import io.edgetune.api.detect.Detections;
import io.edgetune.api.frame.Frame;
import io.edgetune.api.frame.FramePool;
import io.edgetune.api.motion.MotionResult;
import io.edgetune.api.motion.Region;
import io.edgetune.uploader.internal.ByteBudget;
import io.edgetune.uploader.internal.FrameHistograms;
import io.edgetune.uploader.internal.HourlyQuota;
import io.edgetune.uploader.internal.PolicySampler;
import io.edgetune.uploader.internal.SampleWorker;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.After;
import org.junit.BeforeClass;
import org.junit.Test;

/** Each sampling policy on real frames of the sample video, with a clock the test sets. */
public class PolicySamplerTest {

    private static Map<Integer, byte[]> frames;

    @BeforeClass
    public static void decode() throws Exception {
        // 0..2: consecutive frames; later ones: the walkers have moved on
        frames = VideoFrames.read(0, 1, 2, 10, 200, 400, 600);
    }

    private final FramePool pool = new FramePool(8, VideoFrames.WIDTH, VideoFrames.HEIGHT);
    private final AtomicLong clock = new AtomicLong(1_000_000L);
    private SampleWorker worker;
    private PolicySampler sampler;
    private long sequence;

    private static final Detection PERSON = new Detection(1, "Person", 0.91f, 120f, 200f, 40f, 110f);

    /** Only the named policies on; everything else off; no quota or budget unless given. */
    private static PolicySampler.Settings settings(double interval, double novelty, float low, float high, double rarePercent,
                                                   Set<String> rareLabels, double motionStatic, int quota, long budget,
                                                   long burst) {
        return new PolicySampler.Settings(interval, novelty, 4, low, high, rarePercent, 20, rareLabels, motionStatic, quota,
                budget, burst, 100_000);
    }

    private void start(PolicySampler.Settings s) {
        worker = new SampleWorker(8, () -> null, 90); // no publisher: encoded, then counted as failed
        worker.start();
        sampler = new PolicySampler(s, worker, clock::get);
    }

    @After
    public void stop() {
        if (worker != null) {
            worker.stop(2000);
        }
        assertEquals("every retained frame went back to the pool", 8, pool.available());
    }

    private Detections detections(String camera, long seq, Detection... found) {
        return new Detections(camera, seq, clock.get(), 0, "v1", "tflite-javacpp", Detections.Mode.REGIONS,
                List.of(new Region(100, 180, 120, 160)), List.of(found), 20_000_000, 30_000_000);
    }

    /** Feeds one frame and its detections; waits until the worker has handled a sample taken from it. */
    private int offer(byte[] bgr, Detection... found) throws InterruptedException {
        long seq = ++sequence;
        Frame f = VideoFrames.frame(pool, bgr, "plaza", seq, clock.get());
        int why;
        try {
            why = sampler.onDetections(detections("plaza", seq, found), f);
        } finally {
            f.release();
        }
        long accepted = sampler.stats().accepted();
        for (int i = 0; i < 3000 && worker.published() + worker.failed() < accepted; i++) {
            Thread.sleep(10);
        }
        return why;
    }

    @Test
    public void noveltySamplesNewScenesAndLightingJumpsButNotRepeats() throws Exception {
        start(settings(0, 0.15, 1, 0, 0, Set.of(), -1, 0, 0, 1));
        byte[] first = frames.get(0);
        assertEquals("nothing kept yet: the first frame is novel", NOVELTY, offer(first, PERSON));
        for (int i = 0; i < 5; i++) {
            assertEquals("the same frame again", 0, offer(first, PERSON));
        }
        assertEquals("the next frame of the video", 0, offer(frames.get(1), PERSON));
        assertEquals(0, offer(frames.get(2), PERSON));
        assertEquals("walkers elsewhere, 400 frames later", NOVELTY, offer(frames.get(400), PERSON));
        assertEquals("lighting jump", NOVELTY, offer(VideoFrames.brighter(first, 60), PERSON));
        assertEquals("kept samples are not novel any more", 0, offer(frames.get(400), PERSON));
        PolicySampler.Stats s = sampler.stats();
        assertEquals(3, s.accepted());
        assertEquals(3, s.byReason()[1]);
        assertEquals("encoded (and failed for want of a publisher)", 3, worker.failed());
    }

    @Test
    public void printsNoveltyDistancesAndCost() throws Exception {
        FrameHistograms h = new FrameHistograms(1);
        Frame f0 = VideoFrames.frame(pool, frames.get(0), "plaza", 0, 0);
        h.compute(f0);
        h.remember();
        double[] d = new double[4];
        byte[][] others = {frames.get(1), frames.get(2), frames.get(400), VideoFrames.brighter(frames.get(0), 60)};
        for (int i = 0; i < others.length; i++) {
            Frame f = VideoFrames.frame(pool, others[i], "plaza", i + 1, 0);
            h.compute(f);
            d[i] = h.minDistance();
            f.release();
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < 200; i++) {
            h.compute(f0);
            h.minDistance();
        }
        long perFrame = (System.nanoTime() - t0) / 200;
        f0.release();
        System.out.printf("novelty distance to frame 0: frame 1 %.3f, frame 2 %.3f, frame 400 %.3f, +60 brightness %.3f;"
                + " histograms %.2f ms per frame%n", d[0], d[1], d[2], d[3], perFrame / 1e6);
        StringBuilder more = new StringBuilder();
        for (int k : new int[] {10, 200, 600}) {
            Frame f = VideoFrames.frame(pool, frames.get(k), "plaza", k, 0);
            h.compute(f);
            more.append(String.format(" frame %d %.3f", k, h.minDistance()));
            f.release();
        }
        System.out.println("novelty distance to frame 0:" + more);
        assertTrue(d[0] < d[2]);
        assertTrue(d[2] < d[3]);
    }

    @Test
    public void uncertainScoresTriggerSamples() throws Exception {
        start(settings(0, 0, 0.3f, 0.6f, 0, Set.of(), -1, 0, 0, 1));
        assertEquals(0, offer(frames.get(0), PERSON));
        assertEquals(0, offer(frames.get(0)));
        assertEquals(UNCERTAINTY, offer(frames.get(0), PERSON, new Detection(3, "Car", 0.45f, 300, 200, 80, 60)));
        assertEquals(0, offer(frames.get(0), new Detection(3, "Car", 0.29f, 300, 200, 80, 60)));
    }

    @Test
    public void rareClassesTriggerSamplesAfterTheWarmUp() throws Exception {
        start(settings(0, 0, 1, 0, 5.0, Set.of("Bicycle"), -1, 0, 0, 1));
        Detection car = new Detection(3, "Car", 0.8f, 300, 200, 80, 60);
        Detection bike = new Detection(5, "Bicycle", 0.7f, 400, 300, 40, 40);
        assertEquals("warm-up: 20 detections before the share counts", 0, offer(frames.get(0), car));
        for (int i = 0; i < 30; i++) {
            assertEquals(0, offer(frames.get(0), PERSON));
        }
        assertEquals("1 car in 31 detections is 3.2 % < 5 %", RARE, offer(frames.get(0), car));
        assertEquals("configured rare label", RARE, offer(frames.get(0), bike));
        assertEquals(0, offer(frames.get(0), PERSON));
    }

    @Test
    public void intervalSamplesAtMostThatOften() throws Exception {
        start(settings(60, 0, 1, 0, 0, Set.of(), -1, 0, 0, 1));
        assertEquals(INTERVAL, offer(frames.get(0)));
        clock.addAndGet(59_000);
        assertEquals(0, offer(frames.get(1)));
        clock.addAndGet(1_000);
        assertEquals(INTERVAL, offer(frames.get(2)));
        assertEquals(0, offer(frames.get(2)));
    }

    @Test
    public void motionAfterAStaticPeriodTriggersOneSample() throws Exception {
        start(settings(0, 0, 1, 0, 0, Set.of(), 60, 0, 0, 1));
        Frame f = VideoFrames.frame(pool, frames.get(0), "plaza", 1, clock.get());
        try {
            sampler.onMotion(new MotionResult(f, List.of(), 0, false, MotionResult.State.STATIC, 0));
            clock.addAndGet(30_000);
            sampler.onMotion(new MotionResult(f, List.of(new Region(1, 1, 50, 50)), 0.01, false, MotionResult.State.MOTION, 0));
            assertEquals("only 30 s static before", 0, offer(frames.get(0), PERSON));
            sampler.onMotion(new MotionResult(f, List.of(), 0, false, MotionResult.State.STATIC, 0));
            clock.addAndGet(61_000);
            sampler.onMotion(new MotionResult(f, List.of(new Region(1, 1, 50, 50)), 0.01, false, MotionResult.State.MOTION, 0));
            sampler.onMotion(new MotionResult(f, List.of(new Region(1, 1, 60, 50)), 0.01, false, MotionResult.State.MOTION, 0));
        } finally {
            f.release();
        }
        assertEquals(MOTION, offer(frames.get(0), PERSON));
        assertEquals("same episode", 0, offer(frames.get(1), PERSON));
    }

    @Test
    public void aNewTrackSamplesTheCamerasNextDetectionsOnce() throws Exception {
        start(settings(0, 0, 1, 0, 0, Set.of(), -1, 0, 0, 1));
        assertEquals("no policy fired", 0, offer(frames.get(0), PERSON));
        sampler.onNewTrack("gate"); // another camera's object
        assertEquals(0, offer(frames.get(1), PERSON));
        sampler.onNewTrack("plaza");
        sampler.onNewTrack("plaza"); // two objects confirmed in one frame: one sample
        assertEquals(TRACK, offer(frames.get(0), PERSON));
        assertEquals("taken", 0, offer(frames.get(1), PERSON));
        assertEquals(1, sampler.stats().byReason()[5]);
    }

    @Test
    public void quotaPerCameraPerHour() throws Exception {
        start(settings(0, 0, 0.3f, 0.6f, 0, Set.of(), -1, 3, 0, 1));
        Detection unsure = new Detection(1, "Person", 0.4f, 10, 10, 30, 80);
        for (int i = 0; i < 3; i++) {
            assertEquals(UNCERTAINTY, offer(frames.get(0), unsure));
            clock.addAndGet(60_000);
        }
        assertEquals(0, offer(frames.get(0), unsure));
        clock.addAndGet(3_600_000 - 3 * 60_000); // the first sample leaves the hour
        assertEquals(UNCERTAINTY, offer(frames.get(0), unsure));
        assertEquals(0, offer(frames.get(0), unsure));
        PolicySampler.Stats s = sampler.stats();
        assertEquals(4, s.accepted());
        assertEquals(2, s.refusedQuota());
        assertEquals(6, s.triggered());
        assertEquals(2, sampler.cameraCounters("plaza")[1]);
    }

    @Test
    public void budgetRefusesWhatDoesNotFit() throws Exception {
        // the first JPEG is estimated at 100 kB; a 50 kB bucket never holds that
        start(settings(0, 0, 0.3f, 0.6f, 0, Set.of(), -1, 0, 1_000_000, 50_000));
        Detection unsure = new Detection(1, "Person", 0.4f, 10, 10, 30, 80);
        assertEquals(0, offer(frames.get(0), unsure));
        assertEquals(0, offer(frames.get(0), unsure));
        assertEquals(2, sampler.stats().refusedBudget());
        assertEquals(2, sampler.cameraCounters("plaza")[2]);
        assertEquals(0, sampler.stats().accepted());
    }

    @Test
    public void byteBudgetIsATokenBucketOverTheHour() {
        ByteBudget b = new ByteBudget(3_600_000, 250_000); // 1000 B/s
        long t = 5_000;
        assertTrue(b.tryReserve(100_000, t));
        assertTrue(b.tryReserve(100_000, t));
        assertFalse(b.tryReserve(100_000, t));
        b.settle(100_000 - 130_000); // the JPEG came out larger than reserved
        assertFalse(b.tryReserve(100_000, t + 79_000)); // 20k + 79k < 100k
        assertTrue(b.tryReserve(100_000, t + 80_000));
        assertFalse(b.tryReserve(1, t + 80_000));
        assertTrue("refills to the burst only", b.tryReserve(250_000, t + 10_000_000));
        assertFalse(b.tryReserve(1_000, t + 10_000_000));
        assertTrue(new ByteBudget(0, 1).tryReserve(Long.MAX_VALUE, 0));
    }

    @Test
    public void hourlyQuotaSlides() {
        HourlyQuota q = new HourlyQuota(2);
        assertTrue(q.available(0));
        q.record(0);
        q.record(1_000);
        assertFalse(q.available(3_599_999));
        assertTrue(q.available(3_600_000));
        q.record(3_600_000);
        assertFalse(q.available(3_600_500));
        assertTrue(q.available(3_601_000));
        q.cancelLast();
        assertTrue(q.available(3_600_500));
    }

    @Test
    public void aFullEncoderDropsCountsAndGivesTheFrameBack() throws Exception {
        start(settings(0, 0, 0.3f, 0.6f, 0, Set.of(), -1, 5, 1_000_000, 500_000));
        worker.stop(2000); // takes nothing any more, like a full queue
        Detection unsure = new Detection(1, "Person", 0.4f, 10, 10, 30, 80);
        assertEquals(0, offer(frames.get(0), unsure));
        PolicySampler.Stats s = sampler.stats();
        assertEquals(1, s.droppedQueue());
        assertEquals(0, s.accepted());
        assertEquals("the reservation is refunded", 500_000, sampler.budgetAvailableBytes(), 1e-6);
        // the quota was not spent either: five more are accepted once an encoder runs again
        worker = new SampleWorker(8, () -> null, 90);
        worker.start();
        sampler = new PolicySampler(sampler.settings(), worker, clock::get);
        for (int i = 0; i < 5; i++) {
            assertEquals(UNCERTAINTY, offer(frames.get(0), unsure));
        }
    }

    @Test
    public void printsJpegEncodeCostOpenCvVersusImageIo() throws Exception {
        Frame f = VideoFrames.frame(pool, frames.get(400), "plaza", 1, 0);
        try (org.bytedeco.javacpp.IntPointer params = new org.bytedeco.javacpp.IntPointer(
                org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY, 90)) {
            byte[] jpeg = null;
            for (int i = 0; i < 5; i++) { // warm up
                jpeg = SampleWorker.encode(f, params);
            }
            int n = 20;
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                jpeg = SampleWorker.encode(f, params);
            }
            double openCvMs = (System.nanoTime() - t0) / 1e6 / n;
            java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(768, 576,
                    java.awt.image.BufferedImage.TYPE_3BYTE_BGR);
            System.arraycopy(frames.get(400), 0, ((java.awt.image.DataBufferByte) img.getRaster().getDataBuffer()).getData(),
                    0, frames.get(400).length);
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            for (int i = 0; i < 5; i++) {
                out.reset();
                javax.imageio.ImageIO.write(img, "jpeg", out);
            }
            t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                out.reset();
                javax.imageio.ImageIO.write(img, "jpeg", out);
            }
            double imageIoMs = (System.nanoTime() - t0) / 1e6 / n;
            System.out.printf("JPEG 768x576: OpenCV imencode q90 %.2f ms (%d bytes), ImageIO default quality %.2f ms (%d bytes)%n",
                    openCvMs, jpeg.length, imageIoMs, out.size());
            java.awt.image.BufferedImage back = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(jpeg));
            assertEquals(768, back.getWidth());
            assertEquals(576, back.getHeight());
            // the colours survive: the mean of the decoded green channel is within a few levels of the frame's
            long sumIn = 0;
            long sumOut = 0;
            byte[] src = frames.get(400);
            for (int y = 0; y < 576; y++) {
                for (int x = 0; x < 768; x++) {
                    sumIn += src[(y * 768 + x) * 3 + 1] & 0xff;
                    sumOut += (back.getRGB(x, y) >> 8) & 0xff;
                }
            }
            assertEquals(sumIn / (768.0 * 576), sumOut / (768.0 * 576), 3.0);
        } finally {
            f.release();
        }
    }
}

package io.edgetune.arm64;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import io.edgetune.inference.Int8Models;
import io.edgetune.testsupport.Assets;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The linux-arm64 natives on an arm64 JVM (qemu-user): {@link PipelineProbe} decodes the first frames of
 * the sample video with the arm64 FFmpeg, runs the motion stage and the detector with each model there,
 * and the same {@link PipelineRun} in this (x86_64) JVM is the reference its results must match.
 */
public class Arm64PipelineTest {

    /** Emulated: 1 to 5 minutes here depending on the load; the limit only stops a hung process. */
    private static final long LIMIT_MINUTES = 12;

    /**
     * BGR pixels may differ this much (levels of 255) between the platforms, decoded as the camera decodes:
     * FFmpeg's default IDCT and swscale's YUV 4:2:0 to BGR conversion are SIMD code of each platform that
     * rounds differently (measured: at most 4, 0.7 on average, on about 60% of the bytes). With FFmpeg's
     * bit-exact settings the decoder's output is identical ({@link #codecOutputIsBitExact}).
     */
    static final int MAX_PIXEL_DIFFERENCE = 6;
    static final double MAX_MEAN_PIXEL_DIFFERENCE = 1.5;

    private static PipelineRun.Result arm64;
    private static PipelineRun.Result x86;

    /**
     * Every model compared, by name: the float base model, and its int8 build made here as the inference
     * tests make it (the Quantizer of io.edgetune.tflite, calibrated on real frames), loaded as a
     * package carrying an int8 build is.
     */
    static Map<String, List<Path>> models() throws Exception {
        Map<String, List<Path>> m = new LinkedHashMap<>();
        m.put("float", List.of(Assets.model()));
        m.put("int8", List.of(Assets.model(), Int8Models.baseInt8().toAbsolutePath()));
        return m;
    }

    /**
     * How far a box may move between the platforms, same input: least IoU and largest score difference, for
     * the boxes scored at least {@code from} (near the cut-off either side may drop a box).
     */
    record Tolerance(float from, float iou, float score) {
    }

    /**
     * Same input, same binaries, so the results repeat from run to run; what differs is the platform's code.
     * Float: XNNPACK's kernels order and fuse multiply-adds differently (measured: IoU 0.999 and a score 0.0001
     * apart at worst). Int8: XNNPACK requantizes each layer with different rounding on x86-64 and arm64; a
     * step's difference in one layer carries through the next ones, so an output can be a few steps of its
     * scale off (a logit step is 0.115, a box-encoding step 0.34: 3.4% of the anchor for a centre, 7% for a
     * side), and where quantized scores tie, NMS may keep a neighbouring box. Compared from the gateway's
     * shipped score.threshold 0.4 (measured there: IoU 0.69 and a score 0.0285 apart at worst; below it a few
     * small boxes have no counterpart).
     */
    static Tolerance tolerance(String model) {
        return model.equals("int8") ? new Tolerance(0.4f, 0.6f, 0.03f)
                : new Tolerance(PipelineRun.SCORE_THRESHOLD + 0.03f, 0.95f, 0.01f);
    }

    @BeforeClass
    public static void runBoth() throws Exception {
        Arm64Jvm.ensureInstalled();
        Path work = Paths.get(System.getProperty("edgetune.arm64.work"), "pipeline");
        Files.createDirectories(work);
        Path out = work.resolve("arm64-result.ser");
        Files.deleteIfExists(out);
        // the arm64 JVM runs motion and the detector also on these, the frames x86_64 decoded
        Path reference = work.resolve("x86_64.frames");
        PipelineRun.writeFrames(PipelineRun.decodeOnly(Assets.video()), reference);
        List<String> cmd = Arm64Jvm.command("-cp", Arm64Jvm.classPath(), PipelineProbe.class.getName(),
                Assets.video().toString(), Assets.labelFile().toString(), reference.toString(), out.toString());
        for (Map.Entry<String, List<Path>> m : models().entrySet()) {
            cmd.add(m.getKey() + "=" + String.join(",", m.getValue().stream().map(Path::toString).toList()));
        }
        Path log = work.resolve("probe.log");
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        boolean ended = p.waitFor(LIMIT_MINUTES, TimeUnit.MINUTES);
        if (!ended) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        long arm64Ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.print(Files.readString(log));
        assertTrue("the arm64 probe did not end within " + LIMIT_MINUTES + " minutes; see " + log, ended);
        assertEquals("the arm64 probe failed; see " + log, 0, p.exitValue());
        try (InputStream in = Files.newInputStream(out); ObjectInputStream o = new ObjectInputStream(in)) {
            arm64 = (PipelineRun.Result) o.readObject();
        }
        long t1 = System.nanoTime();
        x86 = PipelineRun.run(Assets.video(), null, Assets.labels(), models());
        System.out.printf("arm64 JVM under qemu: %d ms in all, of which %s; the same in-process on x86_64: %d ms (%s)%n",
                arm64Ms, arm64.millis(), (System.nanoTime() - t1) / 1_000_000, x86.millis());
    }

    @Test
    public void ranOnAarch64() {
        assertEquals("aarch64", arm64.arch());
        assertEquals("amd64", x86.arch());
    }

    @Test
    public void codecOutputIsBitExact() {
        assertEquals(PipelineRun.FRAMES, arm64.decoded().size());
        for (int i = 0; i < PipelineRun.FRAMES; i++) {
            assertEquals("luma plane of frame " + i, x86.decoded().get(i).lumaSha256(), arm64.decoded().get(i).lumaSha256());
        }
        // the hashes must tell frames apart, or the comparison above proves nothing
        assertNotEquals(x86.decoded().get(0).lumaSha256(), x86.decoded().get(PipelineRun.FRAMES - 1).lumaSha256());
    }

    @Test
    public void colourConversionWithinTolerance() {
        assertEquals(x86.width(), arm64.width());
        assertEquals(x86.height(), arm64.height());
        for (int i : PipelineRun.KEPT_PIXELS) {
            byte[] a = arm64.decoded().get(i).pixels();
            byte[] b = x86.decoded().get(i).pixels();
            assertEquals(b.length, a.length);
            int max = 0;
            long sum = 0;
            for (int k = 0; k < a.length; k++) {
                int d = Math.abs((a[k] & 255) - (b[k] & 255));
                max = Math.max(max, d);
                sum += d;
            }
            double mean = sum / (double) a.length;
            System.out.printf("frame %d BGR: largest difference %d, mean %.3f%n", i, max, mean);
            assertTrue("frame " + i + ": a BGR byte differs by " + max, max <= MAX_PIXEL_DIFFERENCE);
            assertTrue("frame " + i + ": BGR bytes differ by " + mean + " on average", mean <= MAX_MEAN_PIXEL_DIFFERENCE);
        }
    }

    /** On the same frames (the x86_64 decode) the motion stage must find the same regions. */
    @Test
    public void motionOnTheSameFramesMatches() {
        assertMotion(x86.ownMotion(), arm64.referenceMotion(), 1e-4, 0.98f);
    }

    /**
     * On its own decode (the pipeline as the Pi runs it) the motion stage may move a region edge by a few
     * pixels where the colour conversion moved a pixel across the threshold (measured: IoU 0.93 at worst).
     */
    @Test
    public void motionOnTheArm64DecodeMatches() {
        assertMotion(x86.ownMotion(), arm64.ownMotion(), 5e-3, 0.8f);
    }

    private static void assertMotion(List<PipelineRun.MotionStep> expected, List<PipelineRun.MotionStep> actual,
                                     double ratioTolerance, float minIou) {
        assertEquals(expected.size(), actual.size());
        int withRegions = 0;
        for (int i = 0; i < expected.size(); i++) {
            PipelineRun.MotionStep e = expected.get(i);
            PipelineRun.MotionStep a = actual.get(i);
            assertEquals("motion state of frame " + i, e.state(), a.state());
            assertEquals("motion ratio of frame " + i, e.ratio(), a.ratio(), ratioTolerance);
            assertEquals("regions of frame " + i + ": " + e.regions() + " vs " + a.regions(), e.regions().size(),
                    a.regions().size());
            for (PipelineRun.Box r : e.regions()) {
                assertTrue("frame " + i + ": region " + r + " not in " + a.regions(),
                        a.regions().stream().anyMatch(o -> o.iou(r) >= minIou));
            }
            withRegions += e.regions().isEmpty() ? 0 : 1;
        }
        assertTrue("the motion stage found regions in none of the frames past its warm-up", withRegions > 0);
    }

    @Test
    public void int8ModelRanAsInt8() {
        assertEquals(Map.of("float", "float-cpu", "int8", "int8-cpu"), arm64.builds());
        assertEquals(x86.builds(), arm64.builds());
    }

    @Test
    public void detectionsMatch() {
        assertEquals(x86.passes().size(), arm64.passes().size());
        for (int i = 0; i < x86.passes().size(); i++) {
            PipelineRun.Pass a = arm64.passes().get(i);
            PipelineRun.Pass b = x86.passes().get(i);
            String what = b.model() + " model, frame " + b.frame() + " " + b.mode();
            assertEquals(what, b.model() + b.frame() + b.mode(), a.model() + a.frame() + a.mode());
            assertTrue(what + ": the reference found nothing to compare", !b.boxes().isEmpty());
            Tolerance tolerance = tolerance(b.model());
            assertMatched(what + ", x86_64 box missing on arm64", b.boxes(), a.boxes(), tolerance);
            assertMatched(what + ", arm64 box missing on x86_64", a.boxes(), b.boxes(), tolerance);
        }
    }

    /**
     * Every box of {@code from} scored at least {@link Tolerance#from} has a box of the same label, nearly
     * the same, in {@code in}.
     */
    private static void assertMatched(String what, List<PipelineRun.Box> from, List<PipelineRun.Box> in, Tolerance tolerance) {
        List<PipelineRun.Box> unmatched = new ArrayList<>();
        int compared = 0;
        for (PipelineRun.Box f : from) {
            if (f.score() < tolerance.from()) {
                continue;
            }
            compared++;
            boolean found = in.stream().anyMatch(o -> o.label().equals(f.label()) && o.iou(f) >= tolerance.iou()
                    && Math.abs(o.score() - f.score()) <= tolerance.score());
            if (!found) {
                unmatched.add(f);
            }
        }
        assertTrue(what + ": no box scored " + tolerance.from() + " or more to compare", compared > 0);
        assertTrue(what + ": " + unmatched + " not in " + in, unmatched.isEmpty());
    }
}

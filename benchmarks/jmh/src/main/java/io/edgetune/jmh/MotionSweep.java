package io.edgetune.jmh;

import io.edgetune.api.frame.Frame;
import io.edgetune.api.frame.FramePool;
import io.edgetune.api.motion.MotionResult;
import io.edgetune.motion.engine.MotionEngine;
import io.edgetune.motion.engine.MotionSettings;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;

/**
 * Motion settings side by side on the whole sample video (768x576, 795
 * frames): decode and motion cost per frame, how many frames skip inference,
 * the motion states and crops per frame. Not a JMH benchmark (one pass per
 * setting, single thread, after one warm-up pass):
 * {@code java -cp benchmarks/jmh/target/edgetune-jmh.jar io.edgetune.jmh.MotionSweep}.
 */
public final class MotionSweep {

    private MotionSweep() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("EdgeTune motion sweep on " + BenchAssets.video());
        // JIT and native caches warm up on a first pass that is not reported
        run(MotionSettings.defaults(), 200, false);
        System.out.println();
        System.out.println("model            height stab  decode ms  motion ms  skip%   warmup static motion lightreset  crops/frame fullframe%");
        for (MotionSettings.Model model : MotionSettings.Model.values()) {
            for (int h : new int[] {100, 200, 576}) {
                for (boolean stab : new boolean[] {true, false}) {
                    run(MotionSettings.defaults().withModel(model).withProcessHeight(h).withStabilize(stab), Integer.MAX_VALUE, true);
                }
            }
        }
        for (MotionSettings.Model model : MotionSettings.Model.values()) {
            runStatic(MotionSettings.defaults().withModel(model), 300);
        }
        System.out.println();
        System.out.println("skip% counts every frame without regions (warm-up included); on this video people walk in nearly");
        System.out.println("every frame, so most frames need inference. 'static' rows: the first frame of the video shown 300 times,");
        System.out.println("a camera on a scene where nothing moves (decode cost not measured there).");
        System.exit(0);
    }

    private static void runStatic(MotionSettings settings, int frames) throws Exception {
        int skipped = 0;
        long motion = 0;
        Frame first = BenchAssets.frames(0, 1)[0];
        try (MotionEngine engine = new MotionEngine(settings)) {
            for (int i = 0; i < frames; i++) {
                MotionResult r = engine.process(first);
                motion += r.motionNanos();
                if (!r.needsInference()) {
                    skipped++;
                }
            }
        } finally {
            first.release();
        }
        System.out.println(String.format(Locale.ROOT, "%-16s %6d %4s %10s %10.2f %5.1f%%   (static scene, %d frames)",
                settings.model(), settings.processHeight(), settings.stabilize() ? "on" : "off", "-", motion / 1e6 / frames,
                100.0 * skipped / frames, frames));
    }

    private static void run(MotionSettings settings, int frames, boolean print) throws Exception {
        Map<MotionResult.State, Integer> states = new EnumMap<>(MotionResult.State.class);
        long decode = 0;
        long motion = 0;
        int n = 0;
        int skipped = 0;
        int crops = 0;
        int full = 0;
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
        try (MotionEngine engine = new MotionEngine(settings);
             FFmpegFrameGrabber g = new FFmpegFrameGrabber(BenchAssets.video().toFile())) {
            g.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
            g.start();
            Frame frame = new FramePool(1, g.getImageWidth(), g.getImageHeight()).acquire();
            while (n < frames) {
                long t0 = System.nanoTime();
                org.bytedeco.javacv.Frame f = g.grabImage();
                if (f == null) {
                    break;
                }
                BenchAssets.copy(f, frame.pixels());
                frame.fill("sweep", n, 100L * n, System.nanoTime(), f.imageWidth, f.imageHeight);
                decode += System.nanoTime() - t0;
                MotionResult r = engine.process(frame);
                motion += r.motionNanos();
                states.merge(r.state(), 1, Integer::sum);
                if (!r.needsInference()) {
                    skipped++;
                }
                crops += r.regions().size();
                if (r.fullFrame()) {
                    full++;
                }
                n++;
            }
            frame.release();
        }
        if (print) {
            System.out.println(String.format(Locale.ROOT, "%-16s %6d %4s %10.2f %10.2f %5.1f%%  %6d %6d %6d %10d  %11.2f %9.1f%%",
                    settings.model(), settings.processHeight(), settings.stabilize() ? "on" : "off", decode / 1e6 / n, motion / 1e6 / n,
                    100.0 * skipped / n, states.getOrDefault(MotionResult.State.WARMUP, 0),
                    states.getOrDefault(MotionResult.State.STATIC, 0), states.getOrDefault(MotionResult.State.MOTION, 0),
                    states.getOrDefault(MotionResult.State.LIGHTING_RESET, 0), (double) crops / n, 100.0 * full / n));
        }
    }
}

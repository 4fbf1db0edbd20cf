package io.edgetune.motion;

import io.edgetune.api.motion.MotionResult;
import io.edgetune.motion.internal.MotionEngine;
import io.edgetune.motion.internal.MotionSettings;
import io.edgetune.motion.internal.SampleVideo;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Motion cost next to decode cost on the sample video (768x576, 795 frames),
 * and how many frames would skip inference. Run with
 * {@code mvn -pl bundles/motion exec:java} (the pom sets the main class and
 * the test classpath). Figures are per frame, on this machine, single thread.
 */
public final class MotionBench {

    private MotionBench() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("EdgeTune motion benchmark on " + SampleVideo.file());
        // JIT and native caches warm up on a first pass that is not reported
        run(MotionSettings.defaults(), 200, false);
        System.out.println();
        System.out.println("model            height stab  decode ms  motion ms  skip%   warmup static motion lightreset  crops/frame fullframe%");
        for (MotionSettings.Model model : MotionSettings.Model.values()) {
            for (int h : new int[] {100, 200, 576}) {
                for (boolean stab : new boolean[] {true, false}) {
                    run(MotionSettings.defaults().withModel(model).withProcessHeight(h).withStabilize(stab), SampleVideo.FRAMES, true);
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
    }

    private static void runStatic(MotionSettings settings, int frames) throws Exception {
        int skipped = 0;
        long motion = 0;
        try (MotionEngine engine = new MotionEngine(settings); SampleVideo video = new SampleVideo()) {
            video.next();
            for (int i = 0; i < frames; i++) {
                MotionResult r = engine.process(video.frame());
                motion += r.motionNanos();
                if (!r.needsInference()) {
                    skipped++;
                }
            }
        }
        System.out.println(String.format(Locale.ROOT, "%-16s %6d %4s %10s %10.2f %5.1f%%   (static scene, %d frames)",
                settings.model(), settings.processHeight(), settings.stabilize() ? "on" : "off", "-", motion / 1e6 / frames, 100.0 * skipped / frames, frames));
    }

    private static void run(MotionSettings settings, int frames, boolean print) throws Exception {
        Map<MotionResult.State, Integer> states = new EnumMap<>(MotionResult.State.class);
        long[] decode = new long[1];
        long[] motion = new long[1];
        int[] n = new int[1];
        int[] skipped = new int[1];
        int[] crops = new int[1];
        int[] full = new int[1];
        try (MotionEngine engine = new MotionEngine(settings)) {
            try (SampleVideo video = new SampleVideo()) {
                while (n[0] < frames && video.next()) {
                    MotionResult r = engine.process(video.frame());
                    decode[0] += video.lastDecodeNanos;
                    motion[0] += r.motionNanos();
                    states.merge(r.state(), 1, Integer::sum);
                    if (!r.needsInference()) {
                        skipped[0]++;
                    }
                    crops[0] += r.regions().size();
                    if (r.fullFrame()) {
                        full[0]++;
                    }
                    n[0]++;
                    video.frame().release();
                    video.frame().fill("vtest", n[0], 0, 0, video.frame().width(), video.frame().height());
                }
            }
        }
        if (print) {
            System.out.println(String.format(Locale.ROOT, "%-16s %6d %4s %10.2f %10.2f %5.1f%%  %6d %6d %6d %10d  %11.2f %9.1f%%",
                    settings.model(), settings.processHeight(), settings.stabilize() ? "on" : "off", decode[0] / 1e6 / n[0], motion[0] / 1e6 / n[0],
                    100.0 * skipped[0] / n[0], states.getOrDefault(MotionResult.State.WARMUP, 0),
                    states.getOrDefault(MotionResult.State.STATIC, 0), states.getOrDefault(MotionResult.State.MOTION, 0),
                    states.getOrDefault(MotionResult.State.LIGHTING_RESET, 0), (double) crops[0] / n[0], 100.0 * full[0] / n[0]));
        }
    }
}

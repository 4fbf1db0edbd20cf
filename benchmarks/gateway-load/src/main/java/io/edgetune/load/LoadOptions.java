package io.edgetune.load;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.function.Consumer;

/**
 * What {@link GatewayLoad#run} measures and how long.
 *
 * @param gatewayJar        the gateway runtime, {@code features/gateway/target/edgetune-gateway.jar}
 * @param assetsDir         model, label map and {@code vtest.avi}; the static-scene video is cached here too
 * @param workDir           configuration, framework storage, outbox and logs of the child gateway; emptied when a run
 *                          starts (default: {@code edgetune-gateway-load-PID} in the temporary directory)
 * @param cameraFps         frame rate of every camera
 * @param staticSteps       numbers of static cameras tried next to the busy one, ascending
 * @param allSteps          try every step; otherwise (the default) stop at the first step that is not sustained
 * @param settleSeconds     wait after adding cameras before measuring
 * @param measureSeconds    length of each measurement window
 * @param minFpsRatio       a camera keeps up when it delivers at least this share of {@code cameraFps}
 * @param maxDropFraction   and when at most this share of its frames is dropped on the way
 * @param naive             also measure the naive loop (in this JVM, after the gateway stopped)
 * @param inferenceThreads  interpreter threads, the gateway's detector and the naive loop alike
 * @param gatewayJvmArgs    extra JVM options of the child gateway (none: as a user starts it)
 * @param progress          one line per phase (may be a no-op)
 */
public record LoadOptions(Path gatewayJar, Path assetsDir, Path workDir, double cameraFps, List<Integer> staticSteps,
                          boolean allSteps, int settleSeconds, int measureSeconds, double minFpsRatio, double maxDropFraction,
                          boolean naive, int inferenceThreads, List<String> gatewayJvmArgs, Consumer<String> progress) {

    public LoadOptions {
        staticSteps = List.copyOf(staticSteps);
        gatewayJvmArgs = List.copyOf(gatewayJvmArgs);
        if (staticSteps.isEmpty()) {
            throw new IllegalArgumentException("no camera steps");
        }
        for (int i = 1; i < staticSteps.size(); i++) {
            if (staticSteps.get(i) <= staticSteps.get(i - 1)) {
                throw new IllegalArgumentException("camera steps must ascend: " + staticSteps);
            }
        }
        if (staticSteps.get(0) < 0 || cameraFps <= 0 || measureSeconds < 1 || settleSeconds < 0 || inferenceThreads < 1) {
            throw new IllegalArgumentException("invalid load options");
        }
    }

    /** The full measurement: 0, 1, 2, 4, 8, 12, 16, 24, 32 static cameras, 20 s windows. */
    public static LoadOptions defaults(Path gatewayJar) {
        // one work directory per process: two probes on one machine must not share (and delete) each other's
        return new LoadOptions(gatewayJar, defaultAssets(),
                Paths.get(System.getProperty("java.io.tmpdir"), "edgetune-gateway-load-" + ProcessHandle.current().pid()),
                10.0, List.of(0, 1, 2, 4, 8, 12, 16, 24, 32), false, 8, 20, 0.95, 0.05, true, 2, List.of(), System.err::println);
    }

    /** About a minute: the busy camera and one static camera, short windows. */
    public static LoadOptions quick(Path gatewayJar) {
        return defaults(gatewayJar).withStaticSteps(List.of(1)).withWindows(4, 12);
    }

    public static Path defaultAssets() {
        String d = System.getProperty("edgetune.assets");
        return d != null && !d.isBlank() ? Paths.get(d) : Paths.get(System.getProperty("user.home"), ".cache", "edgetune");
    }

    public LoadOptions withStaticSteps(List<Integer> steps) {
        return new LoadOptions(gatewayJar, assetsDir, workDir, cameraFps, steps, allSteps, settleSeconds, measureSeconds, minFpsRatio,
                maxDropFraction, naive, inferenceThreads, gatewayJvmArgs, progress);
    }

    public LoadOptions withAllSteps(boolean all) {
        return new LoadOptions(gatewayJar, assetsDir, workDir, cameraFps, staticSteps, all, settleSeconds, measureSeconds, minFpsRatio,
                maxDropFraction, naive, inferenceThreads, gatewayJvmArgs, progress);
    }

    public LoadOptions withWindows(int settle, int measure) {
        return new LoadOptions(gatewayJar, assetsDir, workDir, cameraFps, staticSteps, allSteps, settle, measure, minFpsRatio,
                maxDropFraction, naive, inferenceThreads, gatewayJvmArgs, progress);
    }

    public LoadOptions withNaive(boolean on) {
        return new LoadOptions(gatewayJar, assetsDir, workDir, cameraFps, staticSteps, allSteps, settleSeconds, measureSeconds, minFpsRatio,
                maxDropFraction, on, inferenceThreads, gatewayJvmArgs, progress);
    }

    public LoadOptions withWorkDir(Path dir) {
        return new LoadOptions(gatewayJar, assetsDir, dir, cameraFps, staticSteps, allSteps, settleSeconds, measureSeconds, minFpsRatio,
                maxDropFraction, naive, inferenceThreads, gatewayJvmArgs, progress);
    }

    public LoadOptions withAssetsDir(Path dir) {
        return new LoadOptions(gatewayJar, dir, workDir, cameraFps, staticSteps, allSteps, settleSeconds, measureSeconds, minFpsRatio,
                maxDropFraction, naive, inferenceThreads, gatewayJvmArgs, progress);
    }

    public LoadOptions withGatewayJvmArgs(List<String> args) {
        return new LoadOptions(gatewayJar, assetsDir, workDir, cameraFps, staticSteps, allSteps, settleSeconds, measureSeconds, minFpsRatio,
                maxDropFraction, naive, inferenceThreads, args, progress);
    }

    public LoadOptions withProgress(Consumer<String> p) {
        return new LoadOptions(gatewayJar, assetsDir, workDir, cameraFps, staticSteps, allSteps, settleSeconds, measureSeconds, minFpsRatio,
                maxDropFraction, naive, inferenceThreads, gatewayJvmArgs, p);
    }
}

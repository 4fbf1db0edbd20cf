package io.edgetune.load;

import java.util.List;
import java.util.Locale;

/**
 * Figures of one {@link GatewayLoad#run}.
 *
 * @param machine             cores, CPU model and memory of the machine
 * @param startedUtc          when the run started (ISO-8601, UTC)
 * @param loadAverageAtStart  /proc/loadavg (1, 5, 15 min) when the run started: other work on the machine
 * @param cameraFps           frame rate of every camera
 * @param minFpsRatio         a camera kept up when it delivered at least this share of {@code cameraFps}
 * @param maxDropFraction     and at most this share of frames was dropped
 * @param edgetune            one step per number of static cameras tried on the gateway runtime
 * @param edgetuneMaxStatic   most static cameras (next to the busy one) the gateway sustained; -1 when not even the busy camera alone
 * @param naive               the same for the naive loop (empty when not measured)
 * @param naiveMaxStatic      as {@code edgetuneMaxStatic}, for the naive loop; -1 also when not measured
 * @param latency             detection latency on the busy camera during the first gateway step
 * @param memory              the gateway process over the whole run
 */
public record LoadResults(String machine, String startedUtc, String loadAverageAtStart, double cameraFps,
                          double minFpsRatio, double maxDropFraction,
                          List<Step> edgetune, int edgetuneMaxStatic, List<Step> naive, int naiveMaxStatic,
                          Latency latency, Memory memory) {

    public LoadResults {
        edgetune = List.copyOf(edgetune);
        naive = List.copyOf(naive);
    }

    /**
     * One measurement window.
     *
     * @param approach         {@code edgetune} or {@code naive}
     * @param staticCameras    static cameras next to the busy one
     * @param busyFps          frames per second of the busy camera: delivered by the camera (gateway) or fully processed (naive)
     * @param minStaticFps     the slowest static camera (NaN without static cameras)
     * @param dropFraction     dropped / grabbed over all cameras (gateway: camera hand-off drops plus the detector's queue drops)
     * @param detectorDropFraction gateway: frames the detector's queue dropped / frames offered to the detector (NaN for naive)
     * @param cpuCores         CPU seconds per second of the measured process (2.0 = both cores of a 2-core machine)
     * @param busyMessagesPerS detection messages per second of the busy camera (gateway: one per frame motion sent to the detector; naive: NaN)
     * @param latencyP50Ms     grab-to-broker latency of the busy camera's detection messages in the window (gateway; naive: NaN)
     * @param latencyP95Ms     95th percentile of the same
     * @param sustained        every camera delivered at least the minimum rate, and neither any camera's hand-off drops nor the
     *                         detector's queue drops exceeded the threshold
     */
    public record Step(String approach, int staticCameras, double busyFps, double minStaticFps, double dropFraction,
                       double detectorDropFraction, double cpuCores, double busyMessagesPerS, double latencyP50Ms, double latencyP95Ms, boolean sustained) {

        public int cameras() {
            return staticCameras + 1;
        }
    }

    /**
     * Time from a frame leaving the grabber (its capture timestamp, taken right after decoding) to its
     * detection message arriving at a subscriber of the broker.
     */
    public record Latency(double p50Ms, double p95Ms, double maxMs, int samples, int staticCameras) {
    }

    /** Peak resident set (VmHWM) and the largest heap figures sampled with {@code jcmd GC.heap_info}. */
    public record Memory(long peakRssKiB, long peakHeapUsedKiB, long peakHeapCommittedKiB, int heapSamples) {
    }

    /** A Markdown section with the figures, for reports and docs. */
    public String markdown() {
        StringBuilder b = new StringBuilder();
        b.append("## Gateway load\n\n");
        b.append(String.format(Locale.ROOT, "Machine: %s. Run: %s UTC, load average at start %s.%n%n", machine, startedUtc, loadAverageAtStart));
        b.append(String.format(Locale.ROOT, "**Capacity** (cameras at %.0f fps: one busy camera, the sample video, plus N static cameras): "
                + "EdgeTune gateway %s; naive loop %s.%n%n", cameraFps, capacity(edgetuneMaxStatic, edgetune),
                capacity(naiveMaxStatic, naive)));
        b.append("| approach | static cameras | busy fps | slowest static fps | dropped (detector queue) | CPU (cores) | busy detection msgs/s | latency p50 / p95 ms | keeps up |\n");
        b.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
        for (List<Step> steps : List.of(edgetune, naive)) {
            for (Step s : steps) {
                b.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %s | %.1f%%%s | %.2f | %s | %s | %s |%n", s.approach(), s.staticCameras(),
                        s.busyFps(), Double.isNaN(s.minStaticFps()) ? "-" : String.format(Locale.ROOT, "%.1f", s.minStaticFps()),
                        100 * s.dropFraction(),
                        Double.isNaN(s.detectorDropFraction()) ? "" : String.format(Locale.ROOT, " (%.1f%%)", 100 * s.detectorDropFraction()),
                        s.cpuCores(),
                        Double.isNaN(s.busyMessagesPerS()) ? "-" : String.format(Locale.ROOT, "%.1f", s.busyMessagesPerS()),
                        Double.isNaN(s.latencyP50Ms()) ? "-" : String.format(Locale.ROOT, "%.0f / %.0f", s.latencyP50Ms(), s.latencyP95Ms()),
                        s.sustained() ? "yes" : "no"));
            }
        }
        b.append(String.format(Locale.ROOT, "%nA step keeps up when every camera delivers at least %.1f fps and loses at most %.0f%% of its frames "
                + "(gateway: no camera drops more than that share of its frames at the hand-off to its listeners, and the detector's queue "
                + "drops at most that share of the frames offered to it; naive: frames skipped because the loop was late). The dropped column "
                + "is the total over all cameras (hand-off plus detector queue, per frame grabbed), the detector queue's share in brackets. "
                + "Gateway CPU is the child process's; naive CPU is this JVM's.%n%n",
                minFpsRatio * cameraFps, 100 * maxDropFraction));
        if (latency != null) {
            b.append(String.format(Locale.ROOT, "**Latency** (busy camera with %d static camera(s), %d detection messages): p50 %.0f ms, p95 %.0f ms, max %.0f ms. "
                    + "Measured from the frame's capture timestamp (taken right after the grabber decoded it) to the arrival of its "
                    + "detections message at a subscriber on the same machine: hand-off, motion, the detector's queue, inference on the "
                    + "motion crops, the uploader's queue, the MQTT outbox (one file per message) and the broker. Frames that motion "
                    + "skips produce no message and are not counted.%n%n",
                    latency.staticCameras(), latency.samples(), latency.p50Ms(), latency.p95Ms(), latency.maxMs()));
        }
        if (memory != null) {
            b.append(String.format(Locale.ROOT, "**Memory** of the gateway process: peak resident set %.0f MiB; heap used at most %.0f MiB of %.0f MiB committed (%d samples).%n",
                    memory.peakRssKiB() / 1024.0, memory.peakHeapUsedKiB() / 1024.0, memory.peakHeapCommittedKiB() / 1024.0, memory.heapSamples()));
        }
        return b.toString();
    }

    private static String capacity(int maxStatic, List<Step> steps) {
        if (steps.isEmpty()) {
            return "not measured";
        }
        if (maxStatic < 0) {
            return "falls behind already at the first step (busy + " + steps.get(0).staticCameras() + " static)";
        }
        boolean allKept = steps.stream().allMatch(Step::sustained);
        return (allKept ? "at least " : "") + (maxStatic + 1) + " cameras (busy + " + maxStatic + " static; the largest step tried that kept up)";
    }
}

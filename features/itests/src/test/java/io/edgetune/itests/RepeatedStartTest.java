package io.edgetune.itests;

import static org.junit.Assert.assertTrue;

import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.LongSummaryStatistics;
import org.junit.Test;

/**
 * The shipped demo jar started many times in a row must reach detections every
 * time. A start once deadlocked (about 1 in 10) between the camera thread loading
 * FFmpeg inside JavaCPP's Loader and a component creating its first Mat; the
 * natives are now loaded once by the bytedeco bundle before any stage starts.
 *
 * <p>Each round stops as soon as the first detection message arrives (bounded
 * wait), then sends SIGTERM. {@code -Dedgetune.itest.starts=N} changes the count
 * (default 20).
 */
public class RepeatedStartTest extends DemoProcessTest {

    private static final int STARTS = Integer.getInteger("edgetune.itest.starts", 20);
    private static final Duration FIRST_DETECTION_LIMIT = Duration.ofSeconds(60);

    @Test
    public void everyStartOfTheShippedRuntimeReachesDetections() throws Exception {
        assertTrue("edgetune.itest.starts must be at least 1", STARTS >= 1);
        demo = new DemoProcess(Paths.get("target", "repeated-start").toAbsolutePath());
        List<Long> toDetection = new ArrayList<>();
        List<Long> toExit = new ArrayList<>();
        long began = System.nanoTime();
        for (int i = 1; i <= STARTS; i++) {
            long t0 = System.nanoTime();
            demo.start();
            demo.await(DemoProcess.DETECTIONS, FIRST_DETECTION_LIMIT);
            toDetection.add((System.nanoTime() - t0) / 1_000_000);
            toExit.add(demo.terminate(Duration.ofSeconds(30)));
            assertTrue("start " + i + ": no MQTT/DC after SIGTERM; topics " + demo.seen,
                    demo.seen.contains(DemoProcess.DISCONNECT));
        }
        LongSummaryStatistics d = toDetection.stream().mapToLong(Long::longValue).summaryStatistics();
        LongSummaryStatistics x = toExit.stream().mapToLong(Long::longValue).summaryStatistics();
        System.out.printf("itest: %d starts, all reached detections; process start to first detection %d/%d/%d ms "
                + "(min/mean/max), SIGTERM to exit %d/%d/%d ms; %d s in all%n", STARTS, d.getMin(), Math.round(d.getAverage()),
                d.getMax(), x.getMin(), Math.round(x.getAverage()), x.getMax(), (System.nanoTime() - began) / 1_000_000_000);
    }
}

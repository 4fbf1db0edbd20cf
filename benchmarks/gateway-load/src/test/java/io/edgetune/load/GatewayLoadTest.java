package io.edgetune.load;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.Test;

/**
 * A short load run on the real gateway runtime (busy camera + one static
 * camera), checking that every figure is measured and consistent. Speed is
 * not asserted: the figures are printed.
 */
public class GatewayLoadTest {

    @Test
    public void shortRunMeasuresCapacityLatencyAndMemory() throws Exception {
        String jar = System.getProperty("edgetune.gateway.jar");
        assertNotNull("surefire passes edgetune.gateway.jar", jar);
        Path gatewayJar = Paths.get(jar);
        assertTrue("build features/gateway first: " + gatewayJar, Files.isRegularFile(gatewayJar));
        Path work = Files.createTempDirectory("gateway-load-test");
        LoadOptions o = LoadOptions.quick(gatewayJar).withWorkDir(work);

        LoadResults r = GatewayLoad.run(o);
        // kept when the run fails: the gateway's log is in there
        GatewayLoad.deleteTree(work);
        System.out.println(r.markdown());

        Path staticVideo = o.assetsDir().resolve(StaticSceneVideo.FILE_NAME);
        double noise = StaticSceneVideo.firstFramesDifference(Files.isRegularFile(staticVideo) ? staticVideo
                : Paths.get(System.getProperty("java.io.tmpdir"), StaticSceneVideo.FILE_NAME));
        assertTrue("static frames differ by sensor noise only: " + noise, noise > 0.5 && noise < 8);

        assertEquals(1, r.edgetune().size());
        LoadResults.Step step = r.edgetune().get(0);
        assertEquals(1, step.staticCameras());
        assertTrue("busy camera delivers frames: " + step, step.busyFps() > 0);
        assertTrue("static camera delivers frames: " + step, step.minStaticFps() > 0);
        assertTrue("drop fraction is a fraction: " + step, step.dropFraction() >= 0 && step.dropFraction() <= 1);
        assertTrue("the gateway uses CPU: " + step, step.cpuCores() > 0);
        assertTrue("detection messages arrive: " + step, step.busyMessagesPerS() > 0);

        LoadResults.Latency lat = r.latency();
        assertTrue("latency measured on enough messages: " + lat, lat.samples() >= 20);
        assertTrue("0 < p50 <= p95 <= max: " + lat, lat.p50Ms() > 0 && lat.p50Ms() <= lat.p95Ms() && lat.p95Ms() <= lat.maxMs());

        LoadResults.Memory mem = r.memory();
        assertTrue("heap sampled: " + mem, mem.heapSamples() > 0);
        // committed heap that was never touched is not resident, so only used heap must be below the RSS
        assertTrue("RSS > heap used > 0 and committed >= used: " + mem,
                mem.peakRssKiB() > mem.peakHeapUsedKiB() && mem.peakHeapUsedKiB() > 0 && mem.peakHeapCommittedKiB() >= mem.peakHeapUsedKiB());

        assertEquals(1, r.naive().size());
        LoadResults.Step naive = r.naive().get(0);
        assertTrue("naive loop processes frames: " + naive, naive.busyFps() > 0 && naive.minStaticFps() > 0);
        assertTrue("naive loop uses CPU: " + naive, naive.cpuCores() > 0);
        assertFalse(r.markdown().contains("NaN"));
    }
}

package io.edgetune.inference;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.edgetune.inference.engine.EngineOptions;
import io.edgetune.inference.internal.JavaCppTfliteEngine;
import io.edgetune.modelpackage.PackageLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** No Coral here: the Edge TPU path must fall back to the CPU model and say why. */
public class EdgeTpuFallbackTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void missingLibedgetpuFallsBackToCpuWithANote() throws Exception {
        Path dir = tmp.newFolder("pkg").toPath();
        Path cpu = Files.copy(TestAssets.model(), dir.resolve(PackageLayout.MODEL));
        // stands in for an edgetpu_compiler output; never opened because the delegate cannot be created
        Path tpu = Files.write(dir.resolve(PackageLayout.EDGETPU_MODEL), new byte[] {1, 2, 3});
        EngineOptions o = new EngineOptions(2, true, "libedgetpu-not-installed.so.1");
        try (JavaCppTfliteEngine e = new JavaCppTfliteEngine(cpu, tpu, o)) {
            assertEquals("cpu", e.accelerator());
            assertTrue(e.note(), e.note().startsWith("Edge TPU unavailable"));
            assertTrue(e.note(), e.note().contains("libedgetpu-not-installed.so.1"));
            e.invoke();
            assertEquals(1917, e.anchorCount());
        }
    }

    @Test
    public void edgeTpuOffMeansNoNote() throws Exception {
        try (JavaCppTfliteEngine e = new JavaCppTfliteEngine(TestAssets.model(), null, EngineOptions.cpu(1))) {
            assertEquals("cpu", e.accelerator());
            assertEquals("", e.note());
            assertEquals(300, e.inputWidth());
            assertEquals(24, e.classCount());
        }
    }
}

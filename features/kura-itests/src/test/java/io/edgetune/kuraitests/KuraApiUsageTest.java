package io.edgetune.kuraitests;

import static org.junit.Assert.assertTrue;

import io.edgetune.kuraapi.check.BytecodeUsage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Every reference to the Kura API in the bundles of the deployment package
 * (methods called, types implemented, constants read) exists in Kura's real
 * API as pinned from Kura's sources: what compiles against our subset also
 * links against Kura's org.eclipse.kura.api bundle.
 */
public class KuraApiUsageTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void everyKuraReferenceInThePackageExistsInKurasApi() throws Exception {
        List<Path> bundles = new ArrayList<>();
        try (JarFile dp = new JarFile(KuraGatewayTest.deploymentPackageFile())) {
            for (JarEntry e : Collections.list(dp.entries())) {
                if (e.getName().endsWith(".jar")) {
                    Path b = tmp.getRoot().toPath().resolve(Paths.get(e.getName()).getFileName());
                    try (InputStream in = dp.getInputStream(e)) {
                        Files.copy(in, b);
                    }
                    bundles.add(b);
                }
            }
        }
        assertTrue("bundles in the package: " + bundles, bundles.size() >= 8);
        List<String> unknown = BytecodeUsage.unknownReferences(bundles);
        assertTrue("references Kura's API does not have: " + unknown, unknown.isEmpty());
    }
}

package io.edgetune.inference.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.edgetune.api.model.ModelDescriptor;
import io.edgetune.inference.TestAssets;
import io.edgetune.modelpackage.PackageLayout;
import io.edgetune.modelpackage.PackageVerifier;
import java.io.File;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.felix.framework.FrameworkFactory;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;

/**
 * A fresh gateway: no model installed and no assets cache. The base model bundle
 * as built by bundles/gateway/model-base, installed into a real framework, seeds the
 * registry with the same model the assets cache holds.
 */
public class BaseModelBundleTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Framework framework;

    @Before
    public void startFramework() throws Exception {
        framework = new FrameworkFactory().newFramework(Map.of(Constants.FRAMEWORK_STORAGE, tmp.newFolder("fw").getAbsolutePath(),
                Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT));
        framework.start();
    }

    @After
    public void stopFramework() throws Exception {
        framework.stop();
        framework.waitForStop(10_000);
    }

    @Test
    public void anEmptyRegistryIsSeededFromTheInstalledBaseModelBundle() throws Exception {
        Bundle base = framework.getBundleContext().installBundle(baseModelJar().toURI().toString());
        assertEquals("io.edgetune.model.base", base.getSymbolicName());

        Optional<BaseModelBundle.Source> found = BaseModelBundle.find(framework.getBundleContext());
        assertTrue("the installed base model bundle is not found", found.isPresent());
        assertTrue(found.get().origin(), found.get().origin().startsWith("bundle io.edgetune.model.base "));

        FileModelRegistry registry = new FileModelRegistry(tmp.newFolder("models").toPath(), new PackageVerifier(""), null);
        assertTrue(registry.seedIfEmpty(found.get().model(), found.get().labels(), found.get().origin()));
        ModelDescriptor d = registry.active().orElseThrow();
        assertEquals(FileModelRegistry.BASE_VERSION, d.version());
        Path cached = TestAssets.dir().resolve(FileModelRegistry.BASE_MODEL_FILE);
        assertEquals("the bundled model is the verified asset", PackageLayout.sha256(cached), d.sha256());
        assertEquals(Files.readAllLines(TestAssets.dir().resolve(FileModelRegistry.BASE_LABELS_FILE)).stream()
                .filter(l -> !l.isBlank()).map(String::trim).toList(), d.labels());

        assertFalse("a registry with a model is not seeded again",
                registry.seedIfEmpty(found.get().model(), found.get().labels(), found.get().origin()));
    }

    @Test
    public void withoutTheBundleThereIsNothingToSeedFrom() {
        assertTrue(BaseModelBundle.find(framework.getBundleContext()).isEmpty());
        assertTrue(BaseModelBundle.find(null).isEmpty());
    }

    /** The model-base jar on the test class path (a Maven test dependency). */
    private static File baseModelJar() throws Exception {
        URL url = BaseModelBundleTest.class.getClassLoader().getResource("edgetune-model/" + FileModelRegistry.BASE_MODEL_FILE);
        assertTrue("io.edgetune.model.base is not on the test class path", url != null && "jar".equals(url.getProtocol()));
        String path = url.getPath();
        return new File(new URL(path.substring(0, path.indexOf("!/"))).toURI());
    }
}

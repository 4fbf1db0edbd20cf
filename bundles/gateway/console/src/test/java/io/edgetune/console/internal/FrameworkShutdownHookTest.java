package io.edgetune.console.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.FileOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.apache.felix.framework.FrameworkFactory;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;

/** The hook's stop sequence on a real framework, and what it leaves for the next start. */
public class FrameworkShutdownHookTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void edgetuneBundlesStopNewestFirstBeforeTheRestAndStartAgainNextTime() throws Exception {
        File storage = tmp.newFolder("fw");
        Framework fw = framework(storage);
        fw.start();
        List<String> stopped = java.util.Collections.synchronizedList(new ArrayList<>());
        fw.getBundleContext().addBundleListener((org.osgi.framework.SynchronousBundleListener) e -> {
            if (e.getType() == BundleEvent.STOPPING && e.getBundle().getBundleId() != 0) {
                stopped.add(e.getBundle().getSymbolicName());
            }
        });
        for (String bsn : List.of("io.edgetune.broker", "io.edgetune.cloud.mqtt", "org.example.platform", "io.edgetune.uploader")) {
            fw.getBundleContext().installBundle(bundle(bsn).toURI().toString()).start();
        }

        assertTrue("the framework did not stop in time", FrameworkShutdownHook.stopAndWait(fw, 10_000));
        assertEquals(Bundle.RESOLVED, fw.getState());
        assertEquals(List.of("io.edgetune.uploader", "io.edgetune.cloud.mqtt", "io.edgetune.broker", "org.example.platform"),
                stopped);

        // stopped transiently: on the next start of the same storage every bundle starts again
        Framework again = framework(storage);
        again.start();
        try {
            for (Bundle b : again.getBundleContext().getBundles()) {
                assertEquals(b.getSymbolicName() + " did not start again", Bundle.ACTIVE, b.getState());
            }
        } finally {
            again.stop();
            again.waitForStop(10_000);
        }
    }

    private static Framework framework(File storage) {
        Map<String, String> p = new HashMap<>();
        p.put(Constants.FRAMEWORK_STORAGE, storage.getAbsolutePath());
        p.put(Constants.FRAMEWORK_STORAGE_CLEAN, "none");
        return new FrameworkFactory().newFramework(p);
    }

    private File bundle(String bsn) throws Exception {
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue(Constants.BUNDLE_MANIFESTVERSION, "2");
        a.putValue(Constants.BUNDLE_SYMBOLICNAME, bsn);
        File f = tmp.newFile(bsn + ".jar");
        try (JarOutputStream out = new JarOutputStream(new FileOutputStream(f), m)) {
            out.flush();
        }
        return f;
    }
}

package io.edgetune.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import javax.inject.Inject;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.tensorflowlite.global.tensorflowlite;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.wiring.BundleRevision;

/** The gateway runtime, booted in Felix exactly as bnd resolved it. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class GatewayRuntimeTest {

    @Inject
    BundleContext context;

    @Configuration
    public Option[] config() {
        return RuntimeBundles.options(bsn -> true);
    }

    @Test
    public void everyBundleIsActiveAndEveryFragmentAttached() {
        List<String> problems = new ArrayList<>();
        int edgetune = 0;
        for (Bundle b : context.getBundles()) {
            boolean fragment = (b.adapt(BundleRevision.class).getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
            int expected = fragment ? Bundle.RESOLVED : Bundle.ACTIVE;
            if (b.getState() != expected) {
                problems.add(b.getSymbolicName() + " is in state " + b.getState() + ", expected " + expected);
            }
            if (b.getSymbolicName().startsWith("io.edgetune.")) {
                edgetune++;
            }
        }
        assertTrue(problems.toString(), problems.isEmpty());
        assertTrue("EdgeTune bundles installed: " + edgetune, edgetune >= 4);
    }

    /** JavaCPP must find the natives through the fragment inside OSGi, not from the class path. */
    @Test
    public void nativeLibrariesLoadInsideOsgi() {
        Bundle bytedeco = bundle("io.edgetune.bytedeco");
        assertEquals(bytedeco, org.osgi.framework.FrameworkUtil.getBundle(Loader.class));
        assertNotNull(Loader.load(opencv_core.class));
        try (Mat m = new Mat(4, 4, opencv_core.CV_8UC1)) {
            assertEquals(16, m.total());
        }
        assertNotNull(Loader.load(tensorflowlite.class));
        assertTrue(tensorflowlite.TfLiteVersion().getString().startsWith("2.20"));
    }

    Bundle bundle(String bsn) {
        for (Bundle b : context.getBundles()) {
            if (bsn.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("bundle " + bsn + " is not installed");
    }
}

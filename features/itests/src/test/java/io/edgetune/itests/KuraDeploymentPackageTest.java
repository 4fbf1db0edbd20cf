package io.edgetune.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.FileInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.deploymentadmin.BundleInfo;
import org.osgi.service.deploymentadmin.DeploymentAdmin;
import org.osgi.service.deploymentadmin.DeploymentPackage;

/**
 * The linux-x86_64 Kura deployment package installed through DeploymentAdmin
 * into a framework that offers only what Kura itself provides (OSGi services,
 * SLF4J, Paho and the Kura API), then uninstalled.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class KuraDeploymentPackageTest {

    @Inject
    BundleContext context;

    @Inject
    DeploymentAdmin deploymentAdmin;

    @Inject
    ServiceComponentRuntime scr;

    @Configuration
    public Option[] config() {
        // what a Kura gateway has: everything but EdgeTune's own bundles (the Kura API subset
        // stands in for Kura's org.eclipse.kura.api bundle)
        return RuntimeBundles.options(bsn -> !bsn.startsWith("io.edgetune.") || bsn.equals("io.edgetune.kura.api"));
    }

    static File deploymentPackage() {
        File dir = new File(System.getProperty("edgetune.itest.dp"));
        File[] dps = dir.listFiles((d, n) -> n.endsWith(".dp"));
        assertTrue("no .dp in " + dir + ": build kura-deploy first", dps != null && dps.length == 1);
        return dps[0];
    }

    @Test
    public void installsWithEveryBundleActiveThenUninstallsCleanly() throws Exception {
        assertNull("EdgeTune must not be there before the package", find("io.edgetune.capture"));

        DeploymentPackage dp;
        try (InputStream in = new FileInputStream(deploymentPackage())) {
            dp = deploymentAdmin.installDeploymentPackage(in);
        }
        assertEquals("io.edgetune.gateway.linux-x86_64", dp.getName());

        List<String> names = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (BundleInfo info : dp.getBundleInfos()) {
            names.add(info.getSymbolicName());
            Bundle b = dp.getBundle(info.getSymbolicName());
            assertNotNull(info.getSymbolicName() + " not installed", b);
            boolean fragment = RuntimeBundles.isFragment(b);
            int expected = fragment ? Bundle.RESOLVED : Bundle.ACTIVE;
            if (b.getState() != expected) {
                problems.add(b.getSymbolicName() + " in state " + b.getState());
            }
        }
        assertTrue(problems.toString(), problems.isEmpty());
        assertTrue(names.toString(), names.containsAll(List.of("io.edgetune.api", "io.edgetune.bytedeco",
                "io.edgetune.bytedeco.natives.linux-x86_64", "io.edgetune.capture", "io.edgetune.motion",
                "io.edgetune.inference", "io.edgetune.uploader", "io.edgetune.commands")));
        // Kura provides these: the package must not bring its own
        for (String provided : List.of("io.edgetune.kura.api", "io.edgetune.cloud.mqtt", "io.edgetune.broker",
                "org.eclipse.paho.client.mqttv3", "slf4j.api", "org.apache.felix.scr")) {
            assertTrue(provided + " must not be in the package", !names.contains(provided));
        }
        // the detector needs no configuration: it must come up on the package alone
        List<String> failed = new ArrayList<>();
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
            if (d.bundle.symbolicName.startsWith("io.edgetune.")) {
                for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                    if (c.state != ComponentConfigurationDTO.ACTIVE && c.state != ComponentConfigurationDTO.SATISFIED) {
                        failed.add(d.name + " state " + c.state + " " + c.failure);
                    }
                }
            }
        }
        assertTrue(failed.toString(), failed.isEmpty());

        dp.uninstall();
        assertTrue(dp.isStale());
        for (String name : names) {
            assertNull(name + " still installed after uninstall", find(name));
        }
        assertEquals(0, deploymentAdmin.listDeploymentPackages().length);
    }

    private Bundle find(String bsn) {
        for (Bundle b : context.getBundles()) {
            if (bsn.equals(b.getSymbolicName())) {
                return b;
            }
        }
        return null;
    }
}

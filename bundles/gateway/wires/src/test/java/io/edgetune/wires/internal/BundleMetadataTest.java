package io.edgetune.wires.internal;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Manifest;
import org.junit.Test;

/**
 * What a Kura gateway reads before running any of the code: the manifest
 * and the DS/MetaType descriptors bnd generated into target/classes.
 */
public class BundleMetadataTest {

    private static final Path CLASSES = Path.of("target", "classes");

    private static String header(String name) throws Exception {
        try (InputStream in = Files.newInputStream(CLASSES.resolve("META-INF/MANIFEST.MF"))) {
            String v = new Manifest(in).getMainAttributes().getValue(name);
            return v == null ? "" : v;
        }
    }

    @Test
    public void importsMatchWhatKuraExports() throws Exception {
        String imports = header("Import-Package");
        assertTrue(imports, imports.contains("org.eclipse.kura.wire;version=\"[2.0,3.0)\""));
        assertTrue(imports, imports.contains("org.eclipse.kura.type;version=\"[1.1,2.0)\""));
        assertTrue(imports, imports.contains("com.google.gson;version=\"[2.9,3)\""));
        assertTrue(imports, imports.contains("org.osgi.framework;version=\"[1.8,2)\""));
        assertTrue(imports, imports.contains("org.osgi.service.component;version=\"[1.3,2)\""));
        assertTrue(imports, imports.contains("org.osgi.service.wireadmin;version=\"[1.0,2)\""));
    }

    @Test
    public void declarativeServices14IsEnough() throws Exception {
        String requirements = header("Require-Capability");
        assertTrue(requirements, requirements.contains("(osgi.extender=osgi.component)(version>=1.4.0)"));
        assertFalse(requirements, requirements.contains("version>=1.5"));
    }

    @Test
    public void theComponentIsAKuraWiresEmitterConfiguredByFactoryPid() throws Exception {
        String xml = Files.readString(CLASSES.resolve("OSGI-INF/" + DetectionEmitter.FACTORY_PID + ".xml"), StandardCharsets.UTF_8);
        assertTrue(xml, xml.contains("name=\"" + DetectionEmitter.FACTORY_PID + "\""));
        assertTrue(xml, xml.contains("configuration-policy=\"require\""));
        assertTrue(xml, xml.contains("modified=\"updated\""));
        for (String service : new String[] {"org.eclipse.kura.wire.WireEmitter", "org.eclipse.kura.wire.WireComponent",
                "org.osgi.service.wireadmin.Producer", "org.eclipse.kura.configuration.ConfigurableComponent",
                "io.edgetune.api.detect.DetectionListener"}) {
            assertTrue(service, xml.contains("<provide interface=\"" + service + "\"/>"));
        }
        assertTrue(xml, xml.contains("interface=\"org.eclipse.kura.wire.WireHelperService\""));

        String metatype = Files.readString(CLASSES.resolve("OSGI-INF/metatype/" + DetectionEmitter.FACTORY_PID + ".xml"),
                StandardCharsets.UTF_8);
        assertTrue(metatype, metatype.contains("<OCD id=\"" + DetectionEmitter.FACTORY_PID + "\""));
        assertTrue(metatype, metatype.contains("factoryPid=\"" + DetectionEmitter.FACTORY_PID + "\""));
        assertTrue(metatype, metatype.contains("<AD id=\"camera.id\""));
    }
}

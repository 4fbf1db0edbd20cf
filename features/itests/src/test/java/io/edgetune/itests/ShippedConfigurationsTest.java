package io.edgetune.itests;

import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.FileInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import javax.inject.Inject;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The configurations shipped in configs/ (standalone files and the Kura
 * snapshot) must name properties that the components' MetaType declares,
 * with matching types: a renamed property would otherwise be ignored silently.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ShippedConfigurationsTest {

    /** Set by Kura or ConfigAdmin, not declared in any OCD. */
    private static final Set<String> FRAMEWORK_KEYS = Set.of("service.factoryPid", "kura.service.pid", "service.pid");
    /**
     * Components that the gateway runtime does not contain: the embedded broker (demo and annotator) and
     * the annotator, whose shipped file SelfImprovementLoopTest runs in the real annotator runtime.
     */
    private static final Set<String> NOT_IN_GATEWAY = Set.of("io.edgetune.broker.Broker", "io.edgetune.annotator.Annotator",
            "io.edgetune.annotator.review.Review");

    @Inject
    BundleContext context;

    @Inject
    MetaTypeService metaType;

    @Configuration
    public Option[] config() {
        return RuntimeBundles.options(bsn -> true);
    }

    private File configs() {
        File dir = new File(System.getProperty("edgetune.itest.configs"));
        assertTrue("configs/ not found at " + dir, dir.isDirectory());
        return dir;
    }

    @Test
    public void standaloneFilesMatchTheMetaType() throws Exception {
        List<String> problems = new ArrayList<>();
        int checked = 0;
        File[] runtimes = new File(configs(), "standalone").listFiles(File::isDirectory);
        for (File runtime : runtimes) {
            File[] files = runtime.listFiles((d, n) -> n.endsWith(".cfg"));
            for (File f : files) {
                String base = f.getName().substring(0, f.getName().length() - ".cfg".length());
                int dash = base.indexOf('-');
                String pid = dash < 0 ? base : base.substring(0, dash);
                Properties p = new Properties();
                try (InputStream in = new FileInputStream(f)) {
                    p.load(in);
                }
                Map<String, String> values = new HashMap<>();
                p.stringPropertyNames().forEach(k -> values.put(k, p.getProperty(k)));
                checked += check(runtime.getName() + "/" + f.getName(), pid, values, null, problems);
            }
        }
        assertTrue(problems.toString(), problems.isEmpty());
        assertTrue("checked " + checked + " properties", checked > 20);
    }

    @Test
    public void kuraSnapshotMatchesTheMetaType() throws Exception {
        File snapshot = new File(configs(), "kura/edgetune-snapshot.xml");
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        Document doc = f.newDocumentBuilder().parse(snapshot);
        NodeList configurations = doc.getElementsByTagNameNS("http://eurotech.com/esf/2.0", "configuration");
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (int i = 0; i < configurations.getLength(); i++) {
            Element c = (Element) configurations.item(i);
            Map<String, String> values = new HashMap<>();
            Map<String, String> types = new HashMap<>();
            NodeList props = c.getElementsByTagNameNS("http://eurotech.com/esf/2.0", "property");
            for (int j = 0; j < props.getLength(); j++) {
                Element p = (Element) props.item(j);
                values.put(p.getAttribute("name"), p.getTextContent().trim());
                types.put(p.getAttribute("name"), p.getAttribute("type"));
            }
            String pid = values.getOrDefault("service.factoryPid", c.getAttribute("pid"));
            if (pid.startsWith("org.eclipse.kura.")) {
                // Kura's own components (the cloud publishers): their MetaType is Kura's; the Kura test applies them
                continue;
            }
            checked += check("snapshot " + c.getAttribute("pid"), pid, values, types, problems);
        }
        assertTrue(problems.toString(), problems.isEmpty());
        assertTrue("checked " + checked + " properties", checked > 10);
    }

    private int check(String where, String pid, Map<String, String> values, Map<String, String> kuraTypes, List<String> problems) {
        if (NOT_IN_GATEWAY.contains(pid)) {
            return 0;
        }
        ObjectClassDefinition ocd = ocd(pid);
        if (ocd == null) {
            problems.add(where + ": no MetaType for " + pid);
            return 0;
        }
        Map<String, AttributeDefinition> ads = new HashMap<>();
        for (AttributeDefinition ad : ocd.getAttributeDefinitions(ObjectClassDefinition.ALL)) {
            ads.put(ad.getID(), ad);
        }
        int n = 0;
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (FRAMEWORK_KEYS.contains(e.getKey())) {
                continue;
            }
            AttributeDefinition ad = ads.get(e.getKey());
            if (ad == null) {
                problems.add(where + ": " + e.getKey() + " is not a property of " + pid);
                continue;
            }
            n++;
            String value = e.getValue();
            if (kuraTypes != null && !kuraType(ad.getType()).equals(kuraTypes.get(e.getKey()))) {
                problems.add(where + ": " + e.getKey() + " has type " + kuraTypes.get(e.getKey()) + ", MetaType says " + kuraType(ad.getType()));
            }
            if (!value.contains("$[") && !value.contains("${")) {
                String invalid = ad.validate(value);
                if (invalid != null && !invalid.isEmpty()) {
                    problems.add(where + ": " + e.getKey() + "=" + value + " is invalid: " + invalid);
                }
            }
        }
        return n;
    }

    private ObjectClassDefinition ocd(String pid) {
        for (Bundle b : context.getBundles()) {
            MetaTypeInformation info = metaType.getMetaTypeInformation(b);
            if (info == null) {
                continue;
            }
            for (String p : info.getPids()) {
                if (p.equals(pid)) {
                    return info.getObjectClassDefinition(pid, null);
                }
            }
            for (String p : info.getFactoryPids()) {
                if (p.equals(pid)) {
                    return info.getObjectClassDefinition(pid, null);
                }
            }
        }
        return null;
    }

    /** Kura's snapshot type names for MetaType attribute types. */
    private static String kuraType(int type) {
        switch (type) {
            case AttributeDefinition.STRING: return "String";
            case AttributeDefinition.LONG: return "Long";
            case AttributeDefinition.INTEGER: return "Integer";
            case AttributeDefinition.SHORT: return "Short";
            case AttributeDefinition.CHARACTER: return "Char";
            case AttributeDefinition.BYTE: return "Byte";
            case AttributeDefinition.DOUBLE: return "Double";
            case AttributeDefinition.FLOAT: return "Float";
            case AttributeDefinition.BOOLEAN: return "Boolean";
            case AttributeDefinition.PASSWORD: return "Password";
            default: return "type " + type;
        }
    }
}

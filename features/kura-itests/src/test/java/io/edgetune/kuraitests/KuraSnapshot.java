package io.edgetune.kuraitests;

import java.io.File;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * A Kura configuration snapshot (esf:configurations) read and applied the way
 * Kura's ConfigurationService applies one: a configuration per PID with
 * {@code kura.service.pid} set, factory instances created under their
 * {@code service.factoryPid}, typed values as the snapshot declares them.
 */
final class KuraSnapshot {

    static final String ESF = "http://eurotech.com/esf/2.0";
    static final String FACTORY_PID = "service.factoryPid";
    static final String KURA_SERVICE_PID = "kura.service.pid";

    /** One esf:configuration: its PID and typed properties, in snapshot order. */
    record Entry(String pid, Map<String, Object> properties) {
        String factoryPid() {
            return (String) properties.get(FACTORY_PID);
        }
    }

    private KuraSnapshot() {
    }

    static List<Entry> read(File file) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        Document doc = f.newDocumentBuilder().parse(file);
        List<Entry> entries = new ArrayList<>();
        NodeList configs = doc.getElementsByTagNameNS(ESF, "configuration");
        for (int i = 0; i < configs.getLength(); i++) {
            Element c = (Element) configs.item(i);
            Map<String, Object> props = new LinkedHashMap<>();
            NodeList ps = c.getElementsByTagNameNS(ESF, "property");
            for (int j = 0; j < ps.getLength(); j++) {
                Element p = (Element) ps.item(j);
                NodeList values = p.getElementsByTagNameNS(ESF, "value");
                String type = p.getAttribute("type");
                if (Boolean.parseBoolean(p.getAttribute("array"))) {
                    Object[] arr = new Object[values.getLength()];
                    for (int k = 0; k < arr.length; k++) {
                        arr[k] = value(type, values.item(k).getTextContent());
                    }
                    props.put(p.getAttribute("name"), typedArray(type, arr));
                } else {
                    props.put(p.getAttribute("name"), value(type, values.item(0).getTextContent()));
                }
            }
            entries.add(new Entry(c.getAttribute("pid"), props));
        }
        return entries;
    }

    /** Creates or updates every configuration; {@code overrides} replace values per PID (e.g. the camera source). */
    static void apply(List<Entry> entries, ConfigurationAdmin cm, Map<String, Map<String, Object>> overrides)
            throws Exception {
        for (Entry e : entries) {
            Hashtable<String, Object> props = new Hashtable<>(e.properties());
            props.putAll(overrides.getOrDefault(e.pid(), Map.of()));
            props.put(KURA_SERVICE_PID, e.pid());
            Configuration c;
            if (e.factoryPid() != null) {
                props.remove(FACTORY_PID);
                c = cm.createFactoryConfiguration(e.factoryPid(), "?");
            } else {
                c = cm.getConfiguration(e.pid(), "?");
            }
            c.update(props);
        }
    }

    private static Object value(String type, String text) {
        switch (type) {
            case "String":
            case "Password":
                return text;
            case "Boolean":
                return Boolean.valueOf(text.trim());
            case "Integer":
                return Integer.valueOf(text.trim());
            case "Long":
                return Long.valueOf(text.trim());
            case "Float":
                return Float.valueOf(text.trim());
            case "Double":
                return Double.valueOf(text.trim());
            case "Short":
                return Short.valueOf(text.trim());
            case "Byte":
                return Byte.valueOf(text.trim());
            case "Char":
                return text.charAt(0);
            default:
                throw new IllegalArgumentException("snapshot property type " + type + " is not a Kura type");
        }
    }

    private static Object typedArray(String type, Object[] values) {
        if ("String".equals(type) || "Password".equals(type)) {
            String[] s = new String[values.length];
            System.arraycopy(values, 0, s, 0, values.length);
            return s;
        }
        return values;
    }
}

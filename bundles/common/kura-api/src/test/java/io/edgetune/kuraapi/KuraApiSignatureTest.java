package io.edgetune.kuraapi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.edgetune.kuraapi.check.KuraSignatures;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.kura.KuraException;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Our hand-written subset of Kura's API, as compiled and as bnd exports it,
 * against the signatures pinned from Kura's sources: every type and member we
 * have is Kura's, every Kura member of a type we have is there, enum constants
 * come in Kura's order and every package has Kura's export version. Pinned
 * types that the subset does not have are allowed (nothing can use them).
 */
public class KuraApiSignatureTest {

    private static KuraSignatures pinned;
    private static Path classes;
    /** Binary type name to the lines that describe our compiled type. */
    private static final Map<String, List<String>> subset = new TreeMap<>();

    @BeforeClass
    public static void readBoth() throws Exception {
        pinned = KuraSignatures.fromClasspath();
        classes = Paths.get(KuraException.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertTrue("the subset should be compiled classes in a directory: " + classes, Files.isDirectory(classes));
        List<Path> files;
        try (Stream<Path> s = Files.walk(classes.resolve("org/eclipse/kura"))) {
            files = s.filter(p -> p.toString().endsWith(".class") && !p.endsWith("package-info.class"))
                    .sorted().collect(Collectors.toList());
        }
        for (Path f : files) {
            byte[] b = Files.readAllBytes(f);
            subset.put(KuraSignatures.binaryName(b), KuraSignatures.describe(b));
        }
        assertTrue("no Kura API classes found under " + classes, subset.size() > 10);
    }

    @Test
    public void everyTypeAndMemberOfTheSubsetIsKurasAndNoneOfKurasIsMissing() {
        TreeSet<String> pinnedLines = pinned.typeAndMemberLines();
        List<String> notKuras = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, List<String>> t : subset.entrySet()) {
            for (String line : t.getValue()) {
                if (!pinnedLines.contains(line)) {
                    notKuras.add(line);
                }
            }
            for (String line : pinned.linesOf(t.getKey())) {
                if (!t.getValue().contains(line)) {
                    missing.add(line);
                }
            }
        }
        assertEquals("in our subset but not in Kura's API (kura-signatures/*.txt):\n" + String.join("\n", notKuras)
                + "\nin Kura's API but missing from our types:\n" + String.join("\n", missing),
                List.of(), concat(notKuras, missing));
    }

    @Test
    public void enumConstantsComeInKurasOrder() {
        for (Map.Entry<String, List<String>> t : subset.entrySet()) {
            List<String> ours = t.getValue().stream().filter(l -> l.contains("#enum ")).map(l -> l.substring(l.indexOf("#enum ") + 6))
                    .collect(Collectors.toList());
            if (ours.isEmpty()) {
                continue;
            }
            assertEquals(t.getKey(), pinned.type(t.getKey()).orElseThrow().enumConstants(), ours);
        }
    }

    @Test
    public void everyPackageIsExportedWithKurasVersion() throws Exception {
        Path mf = classes.resolve("META-INF/MANIFEST.MF");
        assertTrue("bnd has not written " + mf, Files.isRegularFile(mf));
        Manifest manifest;
        try (InputStream in = Files.newInputStream(mf)) {
            manifest = new Manifest(in);
        }
        Map<String, String> exported = exports(manifest.getMainAttributes().getValue("Export-Package"));
        TreeSet<String> ourPackages = new TreeSet<>();
        subset.keySet().forEach(n -> ourPackages.add(n.substring(0, n.lastIndexOf('.'))));
        assertEquals("exported packages", ourPackages, new TreeSet<>(exported.keySet()));
        for (String p : ourPackages) {
            assertTrue("package " + p + " is not pinned", pinned.packages().containsKey(p));
            assertEquals("export version of " + p, pinned.packages().get(p), exported.get(p));
        }
    }

    /** Export-Package to package and version; splits at commas outside quotes. */
    static Map<String, String> exports(String header) {
        Map<String, String> out = new TreeMap<>();
        List<String> clauses = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (char c : header.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                clauses.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        clauses.add(cur.toString());
        for (String clause : clauses) {
            String[] parts = clause.trim().split(";");
            String version = null;
            for (String a : parts) {
                if (a.trim().startsWith("version=")) {
                    version = a.trim().substring("version=".length()).replace("\"", "");
                }
            }
            out.put(parts[0].trim(), version);
        }
        return out;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}

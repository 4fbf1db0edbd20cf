package io.edgetune.kuraapi.check;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.edgetune.kuraapi.check.fixture.UsesKuraApi;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The checker on a class of our own ({@link UsesKuraApi}) packed into a jar,
 * against the pinned list and against copies of it with one entry taken away
 * or changed: each change must show up as exactly one finding.
 */
public class BytecodeUsageTest {

    private static final String BUILDER =
            "org.eclipse.kura.ai.inference.ModelInfo#public static builder(java.lang.String):org.eclipse.kura.ai.inference.ModelInfoBuilder";
    private static final String LISTENER = "org.eclipse.kura.cloudconnection.subscriber.listener.CloudSubscriberListener";

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();
    private Path jar;
    private List<String> pinnedLines;

    @Before
    public void packFixtureAndReadList() throws IOException {
        jar = tmp.getRoot().toPath().resolve("uses-kura.jar");
        String entry = UsesKuraApi.class.getName().replace('.', '/') + ".class";
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out);
             InputStream in = UsesKuraApi.class.getClassLoader().getResourceAsStream(entry)) {
            j.putNextEntry(new JarEntry(entry));
            in.transferTo(j);
            j.closeEntry();
        }
        pinnedLines = new ArrayList<>();
        try (var files = Files.list(Path.of(resourceDir()))) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".txt")).sorted()::iterator) {
                pinnedLines.addAll(Files.readAllLines(f));
            }
        }
        assertTrue(pinnedLines.contains(BUILDER));
    }

    private static java.net.URI resourceDir() throws IOException {
        try {
            return BytecodeUsageTest.class.getClassLoader().getResource(KuraSignatures.DIRECTORY).toURI();
        } catch (java.net.URISyntaxException e) {
            throw new IOException(e);
        }
    }

    private List<String> scanWith(List<String> lines) throws IOException {
        return BytecodeUsage.unknownReferences(List.of(jar), KuraSignatures.parse(lines));
    }

    private List<String> without(String prefix) {
        List<String> out = new ArrayList<>(pinnedLines);
        assertTrue("nothing to remove: " + prefix, out.removeIf(l -> l.startsWith(prefix)));
        return out;
    }

    @Test
    public void aClassUsingOnlyKurasApiHasNoFindings() throws IOException {
        assertEquals(List.of(), BytecodeUsage.unknownReferences(List.of(jar)));
        assertEquals(List.of(), scanWith(pinnedLines));
    }

    @Test
    public void aStaticMethodKuraLacksIsFound() throws IOException {
        List<String> found = scanWith(without(BUILDER));
        assertEquals(found.toString(), 1, found.size());
        assertTrue(found.get(0), found.get(0).startsWith("method org.eclipse.kura.ai.inference.ModelInfo#builder(java.lang.String):"
                + "org.eclipse.kura.ai.inference.ModelInfoBuilder is not in Kura's API (used by " + UsesKuraApi.class.getName()));
        assertTrue(found.get(0), found.get(0).contains(jar.toString()));
    }

    @Test
    public void aStaticCallToAnInstanceMethodIsFound() throws IOException {
        List<String> lines = without(BUILDER);
        lines.add(BUILDER.replace("#public static ", "#public "));
        List<String> found = scanWith(lines);
        assertEquals(found.toString(), 1, found.size());
        assertTrue(found.get(0), found.get(0).contains("is used as static but Kura has"));
    }

    @Test
    public void anEnumConstantAndAMethodReferenceKuraLacksAreFound() throws IOException {
        List<String> found = scanWith(without("org.eclipse.kura.KuraErrorCode#enum NOT_FOUND"));
        assertEquals(found.toString(), 1, found.size());
        assertTrue(found.get(0), found.get(0).startsWith("field org.eclipse.kura.KuraErrorCode#NOT_FOUND:org.eclipse.kura.KuraErrorCode"));

        found = scanWith(without("org.eclipse.kura.ai.inference.ModelInfo#public getName()"));
        assertEquals(found.toString(), 1, found.size());
        assertTrue(found.get(0), found.get(0).startsWith("method org.eclipse.kura.ai.inference.ModelInfo#getName():java.lang.String"));
    }

    @Test
    public void aTypeKuraLacksIsFound() throws IOException {
        List<String> found = scanWith(without(LISTENER));
        assertEquals(found.toString(), 1, found.size());
        assertTrue(found.get(0), found.get(0).startsWith("type " + LISTENER + " is not in Kura's API"));
    }

    @Test
    public void anAbstractMethodTheImplementationLacksIsFound() throws IOException {
        List<String> lines = new ArrayList<>(pinnedLines);
        String extra = LISTENER + "#public abstract onMessageLost(java.lang.String):void";
        lines.add(extra);
        List<String> found = scanWith(lines);
        assertEquals(found.toString(), List.of("abstract method " + extra + " is not implemented by "
                + UsesKuraApi.class.getName() + " (in " + jar + ")"), found);
    }

    @Test
    public void aJarCarryingKuraClassesIsFound() throws IOException {
        Path kuraClasses = Path.of(org.eclipse.kura.KuraException.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        List<String> found = BytecodeUsage.unknownReferences(List.of(kuraClasses));
        assertTrue(found.toString(), found.contains("jar carries Kura API class org.eclipse.kura.KuraException itself (in "
                + kuraClasses + ")"));
    }
}

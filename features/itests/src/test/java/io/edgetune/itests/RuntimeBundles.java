package io.edgetune.itests;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import java.util.jar.JarFile;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.options.UrlProvisionOption;

/** Pax Exam options for the bundle set that bnd resolved for the gateway runtime. */
final class RuntimeBundles {

    private RuntimeBundles() {
    }

    static File bundleDir() {
        File dir = new File(System.getProperty("edgetune.itest.bundles", "target/export/itest"));
        File[] jars = dir.listFiles((d, n) -> n.endsWith(".jar"));
        if (jars == null || jars.length == 0) {
            throw new IllegalStateException("no runtime bundles in " + dir.getAbsolutePath()
                    + ": run the build through Maven (bnd-export-maven-plugin fills it)");
        }
        return dir;
    }

    /** Framework, test and runtime options; {@code keep} selects which runtime bundles are installed. */
    static Option[] options(Predicate<String> keep, Option... extra) {
        List<Option> options = new ArrayList<>();
        options.add(junitBundles());
        options.add(systemProperty("org.ops4j.pax.url.mvn.localRepository")
                .value(System.getProperty("org.ops4j.pax.url.mvn.localRepository", "")));
        options.add(systemProperty("org.ops4j.pax.url.mvn.offline").value("true"));
        options.add(systemProperty("edgetune.itest.configs").value(System.getProperty("edgetune.itest.configs", "")));
        options.add(systemProperty("edgetune.assets").value(System.getProperty("edgetune.assets", "")));
        options.add(frameworkProperty("org.osgi.service.http.port").value(Integer.toString(freePort())));
        options.add(frameworkProperty("org.apache.felix.http.host").value("127.0.0.1"));
        File[] jars = bundleDir().listFiles((d, n) -> n.endsWith(".jar"));
        Arrays.sort(jars);
        for (File jar : jars) {
            String bsn = symbolicName(jar);
            if (bsn == null || !keep.test(bsn)) {
                continue;
            }
            UrlProvisionOption option = bundle(jar.toURI().toString());
            options.add(isFragment(jar) ? option.noStart() : option.start());
        }
        options.addAll(Arrays.asList(extra));
        return options.toArray(new Option[0]);
    }

    static String symbolicName(File jar) {
        try (JarFile jf = new JarFile(jar)) {
            String bsn = jf.getManifest().getMainAttributes().getValue("Bundle-SymbolicName");
            return bsn == null ? null : bsn.split(";")[0].trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean isFragment(org.osgi.framework.Bundle b) {
        return (b.adapt(org.osgi.framework.wiring.BundleRevision.class).getTypes()
                & org.osgi.framework.wiring.BundleRevision.TYPE_FRAGMENT) != 0;
    }

    private static boolean isFragment(File jar) {
        try (JarFile jf = new JarFile(jar)) {
            return jf.getManifest().getMainAttributes().getValue("Fragment-Host") != null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

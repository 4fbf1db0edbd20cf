package io.edgetune.kuraitests;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.jar.JarFile;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.options.UrlProvisionOption;

/**
 * Kura's runtime platform as Pax Exam options: the bundles that the build
 * copied into {@code target/kura-platform} (Equinox services, Felix SCR
 * 2.1.16, DeploymentAdmin 0.9.5, Paho 1.2.1, SLF4J, Gson, protobuf) plus the
 * Kura API subset standing in for Kura's org.eclipse.kura.api bundle.
 * Nothing of EdgeTune's: that comes with the deployment package.
 */
final class KuraPlatform {

    private KuraPlatform() {
    }

    static Option[] options(Option... extra) {
        List<Option> options = new ArrayList<>();
        options.add(junitBundles());
        for (String p : List.of("org.ops4j.pax.url.mvn.localRepository", "org.ops4j.pax.url.mvn.offline",
                "edgetune.kura.snapshot", "edgetune.itest.dp")) {
            options.add(systemProperty(p).value(System.getProperty(p, "")));
        }
        // the sample video for the camera; no edgetune.assets: the package must bring its own model
        options.add(systemProperty("edgetune.itest.video")
                .value(Paths.get(System.getProperty("edgetune.assets", ""), "vtest.avi").toString()));
        // Kura's installation directory as Kura's start script passes it (-Dkura.home), empty as on a
        // fresh gateway; Kura's data folder is its data directory
        options.add(frameworkProperty("kura.home").value(freshDirectory("kura-home")));
        // as Kura's config.ini: bundle data is wiped at every start
        options.add(frameworkProperty("osgi.clean").value("true"));
        File dir = new File(System.getProperty("edgetune.kura.platform", "target/kura-platform"));
        File[] jars = dir.listFiles((d, n) -> n.endsWith(".jar"));
        if (jars == null || jars.length == 0) {
            throw new IllegalStateException("no Kura platform bundles in " + dir.getAbsolutePath()
                    + ": run the test through Maven (maven-dependency-plugin fills it)");
        }
        Arrays.sort(jars);
        for (File jar : jars) {
            options.add(provision(jar));
        }
        File kuraApi = new File(System.getProperty("edgetune.kura.api.jar", ""));
        if (!kuraApi.isFile()) {
            throw new IllegalStateException("Kura API subset not built: " + kuraApi);
        }
        options.add(provision(kuraApi));
        options.addAll(Arrays.asList(extra));
        return options.toArray(new Option[0]);
    }

    private static String freshDirectory(String name) {
        try {
            return java.nio.file.Files.createTempDirectory(name).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Option provision(File jar) {
        UrlProvisionOption option = bundle(jar.toURI().toString());
        return isFragment(jar) ? option.noStart() : option.start();
    }

    private static boolean isFragment(File jar) {
        try (JarFile jf = new JarFile(jar)) {
            return jf.getManifest().getMainAttributes().getValue("Fragment-Host") != null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.edgetune.testsupport;

import java.io.File;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.felix.framework.FrameworkFactory;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;

/**
 * A real Apache Felix framework for a bundle's integration test, with the
 * runtime bundles it needs taken from this build and the local repository.
 * Services of the framework are reached by reflection: the test's class path
 * may hold another copy of their API (ConfigurationAdmin, for one).
 */
public final class FelixRuntime implements AutoCloseable {

    public static final String VERSION = "0.1.0-SNAPSHOT";

    private final Framework framework;

    private FelixRuntime(Framework framework) {
        this.framework = framework;
    }

    /** A started framework keeping its cache in {@code storage}; {@code extra}: more launch properties. */
    public static FelixRuntime start(Path storage, Map<String, String> extra) throws Exception {
        Map<String, String> props = new HashMap<>(extra);
        props.put(Constants.FRAMEWORK_STORAGE, storage.toAbsolutePath().toString());
        props.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        Framework fw = new FrameworkFactory().newFramework(props);
        fw.start();
        return new FelixRuntime(fw);
    }

    public Framework framework() {
        return framework;
    }

    public BundleContext context() {
        return framework.getBundleContext();
    }

    /**
     * A bundle jar: EdgeTune's own from this build (copied to ${edgetune.it.bundles} by the
     * root POM's it-bundles execution of maven-dependency-plugin), a third-party one from
     * target/it-runtime (its it-runtime execution, which also downloads it on a fresh machine),
     * else from the local Maven repository.
     */
    public static File artifact(String group, String artifact, String version) {
        String name = artifact + "-" + version + ".jar";
        File f;
        if (group.equals("io.edgetune")) {
            f = Path.of(System.getProperty("edgetune.it.bundles", "target/it-bundles")).resolve(name).toFile();
        } else {
            f = Path.of(System.getProperty("edgetune.it.runtime", "target/it-runtime")).resolve(name).toFile();
            if (!f.isFile()) {
                Path repo = Path.of(System.getProperty("maven.repo.local", System.getProperty("user.home") + "/.m2/repository"));
                f = repo.resolve(group.replace('.', '/')).resolve(artifact).resolve(version).resolve(name).toFile();
            }
        }
        if (!f.isFile()) {
            throw new AssertionError("missing " + f + " (run through mvn verify; third-party bundles belong in the root POM's"
                    + " it-runtime list)");
        }
        return f;
    }

    /** An EdgeTune bundle of this build. */
    public static File edgetune(String symbolicName) {
        return artifact("io.edgetune", symbolicName, VERSION);
    }

    /** The bundle jar this module packaged in target/ (not its test jar). */
    public static File builtBundle(String symbolicName) throws Exception {
        Pattern jar = Pattern.compile(Pattern.quote(symbolicName) + "-[^-]+(-SNAPSHOT)?\\.jar");
        try (var files = Files.list(Path.of("target"))) {
            return files.filter(p -> jar.matcher(p.getFileName().toString()).matches())
                    .findFirst().orElseThrow(() -> new AssertionError("run after package: no " + symbolicName + " jar in target/"))
                    .toFile();
        }
    }

    /** What every EdgeTune bundle needs around it: DS (Felix SCR), ConfigurationAdmin and slf4j. */
    public static List<File> declarativeServices() {
        return List.of(
                artifact("org.osgi", "org.osgi.util.function", "1.2.0"),
                artifact("org.osgi", "org.osgi.util.promise", "1.3.0"),
                artifact("org.osgi", "org.osgi.service.component", "1.5.1"),
                artifact("org.apache.felix", "org.apache.felix.configadmin", "1.9.26"),
                artifact("org.apache.felix", "org.apache.felix.scr", "2.2.12"),
                artifact("org.slf4j", "slf4j-api", "1.7.36"),
                artifact("org.slf4j", "slf4j-simple", "1.7.36"));
    }

    /**
     * Installs the jars in order, then starts all but fragments. {@code byReference}: the
     * framework reads each jar where it is (large natives fragments are not copied into the cache).
     */
    public List<Bundle> installAndStart(List<File> jars, boolean byReference) throws Exception {
        List<Bundle> out = new ArrayList<>();
        for (File f : jars) {
            out.add(install(f, byReference));
        }
        for (Bundle b : out) {
            if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                b.start();
            }
        }
        return out;
    }

    public Bundle install(File jar, boolean byReference) throws Exception {
        return context().installBundle(byReference ? "reference:" + jar.toURI() : jar.toURI().toString());
    }

    public Bundle bundle(String symbolicName) {
        for (Bundle b : context().getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("no bundle " + symbolicName);
    }

    /** Symbolic name and state of every bundle, for failure messages. */
    public String states() {
        StringBuilder sb = new StringBuilder();
        for (Bundle b : context().getBundles()) {
            sb.append(b.getSymbolicName()).append('=').append(b.getState()).append(' ');
        }
        return sb.toString();
    }

    /** The ConfigurationAdmin service, waiting up to 10 s for it. */
    public Object configAdmin() throws Exception {
        for (int i = 0; i < 100; i++) {
            ServiceReference<?>[] refs = context().getAllServiceReferences("org.osgi.service.cm.ConfigurationAdmin", null);
            if (refs != null) {
                return context().getService(refs[0]);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no ConfigurationAdmin; bundles " + states());
    }

    /** Sets the configuration of a singleton PID. */
    public void configure(String pid, Map<String, ?> values) throws Exception {
        update(call(configAdmin(), "getConfiguration", new Class<?>[] {String.class, String.class}, pid, null), values);
    }

    /** Adds a configuration of a factory PID. */
    public void configureFactory(String factoryPid, Map<String, ?> values) throws Exception {
        update(call(configAdmin(), "createFactoryConfiguration", new Class<?>[] {String.class, String.class}, factoryPid, null), values);
    }

    private static void update(Object configuration, Map<String, ?> values) throws Exception {
        Dictionary<String, Object> d = new Hashtable<>(values);
        call(configuration, "update", new Class<?>[] {Dictionary.class}, d);
    }

    /** A public method of a framework-side object, called by reflection. */
    public static Object call(Object target, String name, Class<?>[] types, Object... args) throws Exception {
        Method m = target.getClass().getMethod(name, types);
        m.setAccessible(true);
        return m.invoke(target, args);
    }

    /** A service by its class name, through all references (the test may hold another copy of its API). */
    public Object service(String className, String filter) throws Exception {
        ServiceReference<?>[] refs = context().getAllServiceReferences(className, filter);
        return refs == null ? null : context().getService(refs[0]);
    }

    @Override
    public void close() throws Exception {
        framework.stop();
        framework.waitForStop(20_000);
    }
}

package io.edgetune.api.data;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;
import java.util.function.Function;

/**
 * The one data directory under which EdgeTune keeps what must survive a
 * restart: installed model versions, partial model uploads, the sample spool
 * and JavaCPP's cache of extracted native libraries. Bundle data areas are not
 * used for these, because Kura starts with {@code osgi.clean=true} (bundle data
 * wiped at every start) and runs as user {@code kurad}, which has no home
 * directory, so nothing may depend on {@code user.home} either.
 *
 * <p>The directory, first match wins:
 * <ol>
 * <li>{@value #EDGETUNE_DATA}, when set (operator's choice; the standalone
 *     runtimes set it to {@code runtime-data/<runtime>/data});</li>
 * <li>{@code ${kura.data}/edgetune} when {@value #KURA_DATA} is a framework or
 *     system property (Kura keeps it in kura.properties; a start script may pass
 *     it as {@code -Dkura.data=...});</li>
 * <li>{@code ${kura.home}/data/edgetune} on Kura otherwise: Kura's start script
 *     always sets {@value #KURA_HOME} (e.g. {@code /opt/eclipse/kura}), and
 *     Kura's default data folder is its {@code data} directory;</li>
 * <li>{@value #STANDALONE_DEFAULT}, relative to the working directory.</li>
 * </ol>
 * Properties are read through the given lookup, normally
 * {@code BundleContext::getProperty} (framework properties, then system
 * properties), or {@code System::getProperty} outside OSGi.
 *
 * <p>Pure functions; no directory is created here.
 */
public final class DataDirectories {

    /** Property naming EdgeTune's data directory explicitly. */
    public static final String EDGETUNE_DATA = "edgetune.data";
    /** Kura's data folder (set by Kura). */
    public static final String KURA_DATA = "kura.data";
    /** Kura's installation directory, set by Kura's start script ({@code -Dkura.home=...}). */
    public static final String KURA_HOME = "kura.home";
    /** EdgeTune's directory inside Kura's data folder. */
    public static final String KURA_SUBDIRECTORY = "edgetune";
    /** Used when neither property is set: relative to the working directory. */
    public static final String STANDALONE_DEFAULT = "edgetune-data";

    /** Installed model versions (the model registry). */
    public static final String MODELS = "models";
    /** Model packages being received in chunks. */
    public static final String UPLOADS = "uploads";
    /** Samples waiting to be uploaded. */
    public static final String SAMPLES = "samples";
    /** JavaCPP's cache of extracted native libraries ({@code org.bytedeco.javacpp.cachedir}). */
    public static final String NATIVE_CACHE = "javacpp-cache";

    private DataDirectories() {
    }

    /** EdgeTune's data directory as the properties say (see the class description). */
    public static Path root(Function<String, String> properties) {
        return named(properties).orElse(Paths.get(STANDALONE_DEFAULT));
    }

    /**
     * The data directory when a property names it (edgetune.data, kura.data or
     * kura.home), empty when only the working-directory default is left.
     */
    public static Optional<Path> named(Function<String, String> properties) {
        String explicit = trimmed(properties.apply(EDGETUNE_DATA));
        if (explicit != null) {
            return Optional.of(Paths.get(explicit));
        }
        String kura = trimmed(properties.apply(KURA_DATA));
        if (kura != null) {
            return Optional.of(Paths.get(kura, KURA_SUBDIRECTORY));
        }
        String home = trimmed(properties.apply(KURA_HOME));
        if (home != null) {
            return Optional.of(Paths.get(home, "data", KURA_SUBDIRECTORY));
        }
        return Optional.empty();
    }

    /** A directory under the data directory, e.g. {@code resolve(ctx::getProperty, MODELS)}. */
    public static Path resolve(Function<String, String> properties, String child) {
        return root(properties).resolve(child);
    }

    private static String trimmed(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}

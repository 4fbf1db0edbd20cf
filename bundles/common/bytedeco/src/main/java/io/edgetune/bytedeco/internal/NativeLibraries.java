package io.edgetune.bytedeco.internal;

import io.edgetune.api.config.OpenCvThreads;
import io.edgetune.api.data.DataDirectories;
import java.util.List;
import org.bytedeco.javacpp.Loader;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * Loads every native library the EdgeTune stages use once, in a fixed order, on
 * the thread that starts this bundle, before any stage bundle can start.
 *
 * <p>Why: JavaCPP's {@code Loader.load} holds the Loader's lock while the JVM runs
 * {@code System.load}, and a library's JNI_OnLoad needs {@code Pointer}'s class
 * initialisation; a second thread that initialises {@code Pointer} (any
 * {@code new Mat()}) waits for the Loader lock inside that initialisation. With the
 * camera's grabber thread loading FFmpeg while a component's activate created its
 * first Mat, that was a deadlock (about 1 start in 10). Once everything is loaded
 * here, later {@code Loader.load} calls find the libraries loaded and return.
 *
 * <p>The stage bundles import {@code org.bytedeco.*} from this bundle, so the
 * framework starts them after this activator has returned. A library that fails
 * to load is logged (to stderr: this bundle has no logging API) and skipped, so
 * that the stages which do not need it still run and the one that does reports
 * the error itself when it loads the library.
 *
 * <p>JavaCPP extracts the natives to a cache directory, by default under
 * {@code user.home}, which Kura's user {@code kurad} does not have. Unless
 * {@value #CACHE_DIR} is set, the cache goes to EdgeTune's data directory
 * ({@link DataDirectories}), which survives restarts, so the extraction happens
 * once. That is when the data directory is named ({@code edgetune.data}, or
 * {@code kura.data} or {@code kura.home} on Kura); a framework with none (a test) keeps
 * JavaCPP's default.
 */
public final class NativeLibraries implements BundleActivator {

    /** In dependency order: JavaCPP itself, OpenCV, FFmpeg, TensorFlow Lite. */
    static final List<String> PRESETS = List.of(
            "org.bytedeco.javacpp.Pointer",
            "org.bytedeco.opencv.global.opencv_core",
            "org.bytedeco.opencv.global.opencv_imgproc",
            "org.bytedeco.opencv.global.opencv_imgcodecs",
            "org.bytedeco.opencv.global.opencv_video",
            "org.bytedeco.opencv.global.opencv_videoio",
            "org.bytedeco.ffmpeg.global.avutil",
            "org.bytedeco.ffmpeg.global.swresample",
            "org.bytedeco.ffmpeg.global.avcodec",
            "org.bytedeco.ffmpeg.global.avformat",
            "org.bytedeco.ffmpeg.global.swscale",
            "org.bytedeco.ffmpeg.global.avfilter",
            "org.bytedeco.tensorflowlite.global.tensorflowlite");

    static final String CACHE_DIR = "org.bytedeco.javacpp.cachedir";

    @Override
    public void start(BundleContext context) {
        long started = System.nanoTime();
        if (context.getProperty(CACHE_DIR) == null) {
            DataDirectories.named(context::getProperty).ifPresent(d ->
                    System.setProperty(CACHE_DIR, d.resolve(DataDirectories.NATIVE_CACHE).toAbsolutePath().toString()));
        }
        int loaded = 0;
        for (String preset : PRESETS) {
            try {
                Class<?> c = Class.forName(preset, true, NativeLibraries.class.getClassLoader());
                if (Loader.load(c) != null) {
                    loaded++;
                }
            } catch (Throwable t) { // UnsatisfiedLinkError, NoClassDefFoundError: report and go on
                System.err.println("edgetune: native library of " + preset + " not loaded: " + t);
            }
        }
        String threads = applyOpenCvThreads(context);
        System.err.println("edgetune: " + loaded + "/" + PRESETS.size() + " native libraries loaded in "
                + (System.nanoTime() - started) / 1_000_000 + " ms (cache " + cacheDir() + "); " + threads);
    }

    /** Applies {@link OpenCvThreads} (one thread unless the property says otherwise) and says what was applied. */
    private static String applyOpenCvThreads(BundleContext context) {
        OpenCvThreads.Choice c = OpenCvThreads.resolve(context::getProperty);
        try {
            org.bytedeco.opencv.global.opencv_core.setNumThreads(c.threads());
            return "OpenCV threads " + c.threads() + (c.problem() == null ? "" : " (" + c.problem() + ")");
        } catch (Throwable t) { // OpenCV not loaded: reported above
            return "OpenCV threads not set: " + t;
        }
    }

    private static String cacheDir() {
        try {
            return String.valueOf(Loader.getCacheDir());
        } catch (java.io.IOException e) {
            return "unavailable: " + e.getMessage();
        }
    }

    @Override
    public void stop(BundleContext context) {
        // native libraries stay loaded for the life of the class loader
    }
}

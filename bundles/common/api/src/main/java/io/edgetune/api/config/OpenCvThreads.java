package io.edgetune.api.config;

import java.util.function.Function;

/**
 * How many threads OpenCV may use in an EdgeTune process: the property, its default and the check of a
 * configured value, in one place for the gateway (the bytedeco bundle's activator) and for the evaluation and
 * the benchmarks, which must measure what the gateway runs. Pure; the caller applies the result with
 * {@code opencv_core.setNumThreads}.
 *
 * <p>Why one thread by default: the stages call OpenCV on small images (a 133x100 motion frame, a 300x300
 * input), each camera already has its own capture and pipeline threads, and OpenCV's pool workers spin
 * between calls. With its default pool the motion step took 0.45 ms but 0.89 ms of process CPU; on one
 * thread 0.41 ms and 0.41 ms.
 */
public final class OpenCvThreads {

    /** Framework or system property: OpenCV's thread count (0 and 1 both run its loops on the calling thread). */
    public static final String PROPERTY = "edgetune.opencv.threads";
    /** Used when the property is not set or is not a thread count. */
    public static final int DEFAULT = 1;

    /**
     * The thread count to apply, and why a configured value was not used (null when it was, or none was set).
     */
    public record Choice(int threads, String problem) {
    }

    private OpenCvThreads() {
    }

    /** The thread count the properties ask for, read through {@code BundleContext::getProperty} or {@code System::getProperty}. */
    public static Choice resolve(Function<String, String> properties) {
        String configured = properties.apply(PROPERTY);
        if (configured == null || configured.isBlank()) {
            return new Choice(DEFAULT, null);
        }
        try {
            int n = Integer.parseInt(configured.trim());
            if (n >= 0) {
                return new Choice(n, null);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        return new Choice(DEFAULT, PROPERTY + "=" + configured + " is not a thread count >= 0; using " + DEFAULT);
    }
}

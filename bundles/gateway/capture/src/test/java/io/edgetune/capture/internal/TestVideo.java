package io.edgetune.capture.internal;

import java.io.File;
import org.junit.Assume;

/** The real sample video from the asset cache that surefire points to. */
final class TestVideo {

    static final int FRAMES = 795;
    static final int WIDTH = 768;
    static final int HEIGHT = 576;

    private TestVideo() {
    }

    static File file() {
        String dir = System.getProperty("edgetune.assets", System.getProperty("user.home") + "/.cache/edgetune");
        File f = new File(dir, "vtest.avi");
        if (!f.isFile()) {
            throw new IllegalStateException("sample video missing: " + f + " (run the asset fetcher of features/assets)");
        }
        return f;
    }

    /** Polls a condition every 20 ms; true once it holds, false after the deadline. */
    static boolean await(java.util.function.BooleanSupplier condition, long timeoutMillis) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return condition.getAsBoolean();
    }

    static void assumeLinux() {
        Assume.assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"));
    }
}

package io.edgetune.evaluation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;

/** One line that says which machine the figures come from. */
final class Machine {

    private Machine() {
    }

    static String describe(int inferenceThreads) {
        String cpu = "unknown CPU";
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: the JVM's view is all there is
        }
        long memMb = -1;
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    memMb = Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            // optional detail
        }
        boolean gpu = Files.exists(Path.of("/dev/nvidia0")) || Files.exists(Path.of("/dev/dri/renderD128"));
        return String.format(Locale.ROOT, "%d cores, %s, %s RAM, %s; %s %s, Java %s; TFLite on CPU (XNNPACK), %d interpreter threads",
                Runtime.getRuntime().availableProcessors(), cpu, memMb > 0 ? memMb + " MB" : "?",
                gpu ? "GPU device present (not used)" : "no GPU",
                System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.version"), inferenceThreads);
    }
}

package io.edgetune.arm64;

import io.edgetune.testsupport.Assets;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * An arm64 JVM on this x86_64 machine: Debian's openjdk-17-jre-headless:arm64 under qemu-user, from a private
 * arm64 root in the asset cache ({@code ${edgetune.assets}/arm64}, built once by {@code arm64-sysroot.sh}
 * from Debian's archive). Nothing is installed on the host: apt installing the arm64 JRE upgraded the host's
 * own JDK mid-build, after which the build's JVMs could not start processes.
 */
final class Arm64Jvm {

    /** What arm64-sysroot.sh builds: the root file system, the qemu binary beside it and packages.txt. */
    static final Path CACHE = Assets.dir().resolve("arm64");
    static final Path ROOT = CACHE.resolve("root");
    static final Path QEMU = CACHE.resolve("qemu-aarch64-static");
    /** The arm64 JVM inside the root; qemu's -L makes the root the first place the guest looks for any path it opens. */
    static final String JAVA = "/usr/lib/jvm/java-17-openjdk-arm64/bin/java";

    private static boolean checked;

    private Arm64Jvm() {
    }

    /** Builds the arm64 root when it is not in the cache yet; fails with the script's exit code and where to look. */
    static synchronized void ensureInstalled() throws Exception {
        if (checked) {
            return;
        }
        if (!Files.isRegularFile(CACHE.resolve("packages.txt"))) {
            Path script = Paths.get(System.getProperty("edgetune.arm64.sysroot.script"));
            Process p = new ProcessBuilder("bash", script.toString(), CACHE.toString()).inheritIO().start();
            if (!p.waitFor(20, TimeUnit.MINUTES)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new IllegalStateException(script + " did not build " + CACHE + " within 20 minutes");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(script + " exited " + p.exitValue() + " building " + CACHE
                        + " (it needs root for apt, dpkg-deb and Debian's archive; its output is above)");
            }
        }
        // qemu exits 1 without a word when the program is missing, so say which file is
        for (Path f : List.of(QEMU, Paths.get(ROOT + JAVA))) {
            if (!Files.isExecutable(f)) {
                throw new IllegalStateException(f + " is missing from the arm64 root; delete " + CACHE + " to rebuild it");
            }
        }
        checked = true;
    }

    /**
     * The command line that starts the arm64 JVM: C1 only (C2's compile times do not pay back in a
     * run of minutes under emulation), natives cached next to the x86_64 ones (JavaCPP keys them by jar).
     */
    static List<String> command(String... jvmArgs) {
        List<String> cmd = new ArrayList<>(List.of(QEMU.toString(), "-L", ROOT.toString(), ROOT + JAVA,
                "-XX:TieredStopAtLevel=1", "-Xmx768m"));
        cmd.addAll(List.of(jvmArgs));
        return cmd;
    }

    /**
     * This test's class path with the linux-x86_64 natives jars replaced by the linux-arm64 ones,
     * so that the arm64 JVM runs the same classes on the natives the Pi gets.
     */
    static String classPath() throws IOException {
        String own = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> out = new ArrayList<>();
        for (String e : own.split(File.pathSeparator)) {
            if (!e.isBlank() && !e.endsWith("-linux-x86_64.jar")) {
                out.add(e);
            }
        }
        Path natives = Paths.get(System.getProperty("edgetune.arm64.natives"));
        int found = 0;
        try (Stream<Path> jars = Files.list(natives)) {
            for (Path j : (Iterable<Path>) jars.sorted()::iterator) {
                if (j.getFileName().toString().endsWith("-linux-arm64.jar")) {
                    out.add(j.toString());
                    found++;
                }
            }
        }
        if (found != 5) {
            throw new IllegalStateException(natives + " should hold the 5 linux-arm64 natives jars (javacpp, opencv, "
                    + "ffmpeg, openblas, tensorflow-lite), found " + found + ": run through mvn");
        }
        return String.join(File.pathSeparator, out);
    }
}

package io.edgetune.arm64;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * An arm64 JVM on this x86_64 machine: Debian's openjdk-17-jre-headless:arm64 under qemu-user
 * ({@code qemu-aarch64-static -L / .../java}). Installed with apt-get when missing, as the
 * mosquitto tests install their broker (needs root and Debian's archive).
 */
final class Arm64Jvm {

    static final Path QEMU = Paths.get("/usr/bin/qemu-aarch64-static");
    static final Path JAVA = Paths.get("/usr/lib/jvm/java-17-openjdk-arm64/bin/java");
    /**
     * Shared libraries that bytedeco's linux-arm64 natives take from the system (a Pi needs the same packages):
     * FFmpeg's libavutil links libva and libva-drm (the linux-x86_64 jar carries its own copies), libavdevice
     * (which JavaCV loads) PulseAudio and xcb, and OpenCV's highgui (loaded with the video module the motion
     * stage uses) GTK 2, as on x86_64.
     */
    static final List<Path> SYSTEM_LIBRARIES = List.of(Paths.get("/usr/lib/aarch64-linux-gnu/libva-drm.so.2"),
            Paths.get("/usr/lib/aarch64-linux-gnu/libpulse.so.0"),
            Paths.get("/usr/lib/aarch64-linux-gnu/libgtk-x11-2.0.so.0"));
    static final String PACKAGES = "qemu-user-static openjdk-17-jre-headless:arm64 libva-drm2:arm64 libpulse0:arm64"
            + " libgtk2.0-0:arm64";

    private static boolean checked;

    private Arm64Jvm() {
    }

    /** Installs qemu-user-static and the arm64 JRE if either is missing; fails saying what to install. */
    static synchronized void ensureInstalled() throws Exception {
        if (checked) {
            return;
        }
        if (!installed()) {
            String foreign = run(60, "dpkg", "--print-foreign-architectures");
            if (!foreign.lines().anyMatch("arm64"::equals)) {
                need(run(60, "dpkg", "--add-architecture", "arm64") != null, "dpkg --add-architecture arm64");
                // the arm64 package lists only arrive with the next update
                need(run(600, "apt-get", "update", "-q") != null, "apt-get update");
            }
            List<String> install = new ArrayList<>(List.of("apt-get", "install", "-y", "-q", "--no-install-recommends"));
            install.addAll(List.of(PACKAGES.split(" ")));
            if (run(900, install.toArray(String[]::new)) == null) {
                // stale package lists: one update, one retry
                need(run(600, "apt-get", "update", "-q") != null, "apt-get update");
                need(run(900, install.toArray(String[]::new)) != null, String.join(" ", install));
            }
            need(installed(), "apt-get installed " + PACKAGES + " but " + QEMU + ", " + JAVA + " or one of "
                    + SYSTEM_LIBRARIES + " is still missing");
        }
        checked = true;
    }

    private static boolean installed() {
        return Files.isExecutable(QEMU) && Files.isExecutable(JAVA) && SYSTEM_LIBRARIES.stream().allMatch(Files::exists);
    }

    private static void need(boolean ok, String step) {
        if (!ok) {
            throw new IllegalStateException("the arm64 tests need an arm64 JVM under qemu-user and '" + step
                    + "' failed; as root run: dpkg --add-architecture arm64 && apt-get update && apt-get install -y "
                    + PACKAGES);
        }
    }

    /** Runs a command with inherited output; its stdout when it exits 0 in time, else null. */
    private static String run(int seconds, String... cmd) throws Exception {
        Path out = Files.createTempFile("arm64-install", ".out");
        try {
            Process p;
            try {
                p = new ProcessBuilder(cmd).redirectOutput(out.toFile())
                        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            } catch (IOException notThere) {
                return null;
            }
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                return null;
            }
            String text = Files.readString(out, StandardCharsets.UTF_8);
            System.out.print(text);
            return p.exitValue() == 0 ? text : null;
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /**
     * The command line that starts the arm64 JVM: C1 only (C2's compile times do not pay back in a
     * run of minutes under emulation), natives cached next to the x86_64 ones (JavaCPP keys them by jar).
     */
    static List<String> command(String... jvmArgs) {
        List<String> cmd = new ArrayList<>(List.of(QEMU.toString(), "-L", "/", JAVA.toString(),
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

package io.edgetune.capture.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's GStreamer RTSP server (through python3-gi) as a child process serving the sample
 * video as H.264 on a free loopback port, offering TCP only, UDP only or both as lower transport.
 * The Debian packages are installed with apt-get when missing.
 */
final class RtspTestServer implements AutoCloseable {

    enum Transports { TCP, UDP, ANY }

    /** Debian's interpreter: python3-gi installs its module for this one only (not for a pyenv python). */
    static final String PYTHON = "/usr/bin/python3";

    static final List<String> PACKAGES = List.of("python3-gi", "gir1.2-gst-rtsp-server-1.0", "gstreamer1.0-plugins-base",
            "gstreamer1.0-plugins-good", "gstreamer1.0-plugins-ugly", "gstreamer1.0-libav");

    private static final String CHECK = String.join("\n",
            "import gi",
            "gi.require_version('Gst', '1.0')",
            "gi.require_version('GstRtsp', '1.0')",
            "gi.require_version('GstRtspServer', '1.0')",
            "from gi.repository import Gst, GstRtsp, GstRtspServer",
            "Gst.init(None)",
            "missing = [e for e in ('filesrc', 'decodebin', 'avidemux', 'avdec_msmpeg4', 'videoconvert', 'x264enc', 'rtph264pay')"
                    + " if Gst.ElementFactory.find(e) is None]",
            "assert not missing, 'missing GStreamer elements: %s' % missing",
            "");

    private static boolean installed;

    private final Path dir;
    private final Path script;
    private final Path video;
    private final Transports transports;
    private final int port;
    private Process process;
    private int starts;

    RtspTestServer(Path dir, Path video, Transports transports) throws Exception {
        ensureInstalled();
        this.dir = dir;
        this.video = video;
        this.transports = transports;
        this.port = freePort();
        this.script = dir.resolve("rtsp-test-server.py");
        try (InputStream in = RtspTestServer.class.getResourceAsStream("/rtsp-test-server.py")) {
            if (in == null) {
                throw new IllegalStateException("test resource rtsp-test-server.py missing from the class path");
            }
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    String url() {
        return "rtsp://127.0.0.1:" + port + "/cam";
    }

    int port() {
        return port;
    }

    /** Starts the server (again, on the same port) and waits until it listens. */
    synchronized void start() throws Exception {
        if (process != null) {
            throw new IllegalStateException("already running");
        }
        Path log = dir.resolve("rtsp-server-" + transports + "-" + (++starts) + ".log");
        Process p = new ProcessBuilder(PYTHON, script.toString(), Integer.toString(port), video.toString(),
                transports.name().toLowerCase())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        process = p;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            String out = Files.readString(log, StandardCharsets.UTF_8);
            if (out.contains("READY " + port)) {
                return;
            }
            if (!p.isAlive()) {
                process = null;
                throw new IllegalStateException("RTSP server exited with " + p.exitValue() + ": " + out);
            }
            Thread.sleep(50);
        }
        kill();
        throw new IllegalStateException("RTSP server did not listen on " + port + " within 20 s: " + Files.readString(log));
    }

    /** Cuts the server off as a crash or power loss would: SIGKILL, no RTSP TEARDOWN. */
    synchronized void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("RTSP server process " + process.pid() + " survived SIGKILL for 10 s");
            }
            process = null;
        }
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Installs the Debian packages the server needs unless their modules and elements are there already. */
    static synchronized void ensureInstalled() throws Exception {
        if (installed) {
            return;
        }
        String problem = check();
        if (problem != null) {
            String install = aptGet(false);
            if (install != null) {
                // a fresh container may have no package lists yet
                String update = run(List.of("apt-get", "update", "-q"), 300);
                install = update != null ? "apt-get update failed: " + update : aptGet(true);
            }
            problem = check();
            if (problem != null) {
                throw new IllegalStateException("the RTSP tests need Debian's GStreamer RTSP server: " + problem
                        + (install != null ? "; 'apt-get install " + String.join(" ", PACKAGES) + "' failed: " + install : "")
                        + ". Install these packages to run them.");
            }
        }
        installed = true;
    }

    private static String aptGet(boolean afterUpdate) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("apt-get", "install", "-y", "-q", "--no-install-recommends"));
        cmd.addAll(PACKAGES);
        return run(cmd, afterUpdate ? 600 : 300);
    }

    /** Null when the python modules and GStreamer elements are present, else what is missing. */
    private static String check() throws Exception {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            return PYTHON + " not found";
        }
        return run(List.of(PYTHON, "-c", CHECK), 60);
    }

    /** Runs a command; null on success, else its exit code and the tail of its output. */
    private static String run(List<String> command, int timeoutSeconds) throws Exception {
        Path out = Files.createTempFile("rtsp-test-cmd", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
            pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                return command.get(0) + " cannot run: " + e.getMessage();
            }
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                return command.get(0) + " did not finish within " + timeoutSeconds + " s";
            }
            if (p.exitValue() == 0) {
                return null;
            }
            String text = Files.readString(out, StandardCharsets.UTF_8).strip();
            return "exit " + p.exitValue() + ": " + (text.length() > 600 ? "..." + text.substring(text.length() - 600) : text);
        } finally {
            Files.deleteIfExists(out);
        }
    }
}

package io.edgetune.annotator.internal;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Coral's {@code edgetpu_compiler} as a child process: it turns the int8 build into {@code *_edgetpu.tflite}, whose
 * supported operators run on the Edge TPU. The executable is the configured path, or {@code edgetpu_compiler} on
 * the PATH when none is configured; the annotator works without it (int8 and float builds only).
 */
final class EdgeTpuCompiler {

    static final String EXECUTABLE = "edgetpu_compiler";
    /** Bytes of compiler output kept for the round's record. */
    private static final int MAX_LOG = 8192;

    /**
     * @param model   the compiled model, or null when the compile failed
     * @param log     what the compiler printed (stdout and stderr, at most 8 KiB)
     * @param failure why there is no model, or null
     */
    record Outcome(byte[] model, String log, String failure) {
    }

    private final Path executable;
    private final long timeoutMillis;

    private EdgeTpuCompiler(Path executable, long timeoutMillis) {
        this.executable = executable;
        this.timeoutMillis = timeoutMillis;
    }

    /**
     * The compiler the configuration names, or the one on the PATH.
     *
     * @param configured a path, or blank to look up {@value #EXECUTABLE} on {@code path}
     * @param path       the PATH value to search (the process's own)
     * @param why        receives the reason when there is none
     * @return null when there is no usable compiler
     */
    static EdgeTpuCompiler locate(String configured, String path, long timeoutMillis, StringBuilder why) {
        if (configured != null && !configured.isBlank()) {
            Path p = Paths.get(configured.trim());
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return new EdgeTpuCompiler(p, timeoutMillis);
            }
            why.append("the configured Edge TPU compiler ").append(p).append(" is not an executable file");
            return null;
        }
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (dir.isEmpty()) {
                    continue;
                }
                Path p = Paths.get(dir, EXECUTABLE);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return new EdgeTpuCompiler(p, timeoutMillis);
                }
            }
        }
        why.append("no ").append(EXECUTABLE).append(" on the PATH and none configured");
        return null;
    }

    Path executable() {
        return executable;
    }

    /** Compiles an int8 model in a scratch directory; never throws for a compiler failure, says why instead. */
    Outcome compile(byte[] int8) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("edgetpu-compile");
            Path in = dir.resolve("model_int8.tflite");
            Files.write(in, int8);
            Path out = Files.createDirectory(dir.resolve("out"));
            Path log = dir.resolve("compiler.log");
            Process p = new ProcessBuilder(executable.toString(), "-s", "-o", out.toString(), in.toString())
                    .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean done = p.waitFor(timeoutMillis, TimeUnit.MILLISECONDS);
            if (!done) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            String text = tail(log);
            if (!done) {
                return new Outcome(null, text, executable + " did not finish within " + timeoutMillis / 1000 + " s");
            }
            if (p.exitValue() != 0) {
                return new Outcome(null, text, executable + " exited with " + p.exitValue());
            }
            Path compiled = out.resolve("model_int8_edgetpu.tflite");
            if (!Files.isRegularFile(compiled) || Files.size(compiled) == 0) {
                return new Outcome(null, text, executable + " wrote no model_int8_edgetpu.tflite");
            }
            return new Outcome(Files.readAllBytes(compiled), text, null);
        } catch (IOException e) {
            return new Outcome(null, "", "running " + executable + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(null, "", "interrupted while " + executable + " ran");
        } finally {
            delete(dir);
        }
    }

    private static String tail(Path log) throws IOException {
        byte[] b = Files.readAllBytes(log);
        int from = Math.max(0, b.length - MAX_LOG);
        return new String(b, from, b.length - from, StandardCharsets.UTF_8).trim();
    }

    private static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(s.sorted(Comparator.reverseOrder()).toList());
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a temp directory left behind is harmless
        }
    }
}

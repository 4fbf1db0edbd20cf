package io.edgetune.annotator.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Finding and running the Edge TPU compiler. Coral's real edgetpu_compiler cannot be installed on this machine (its
 * apt repository is unreachable), so the absent-compiler path is tested for real, and the process wiring (arguments,
 * output file, captured output, exit code, timeout) with shell scripts that are plainly stand-ins: they copy the input
 * or fail, they compile nothing. What the real compiler makes of the int8 build is not verified here.
 */
public class EdgeTpuCompilerTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void noCompilerOnThePathIsSaidWithTheReason() throws Exception {
        StringBuilder why = new StringBuilder();
        String path = tmp.newFolder("bin").toString() + File.pathSeparator + "/nonexistent";
        assertNull(EdgeTpuCompiler.locate("", path, 1000, why));
        assertEquals("no edgetpu_compiler on the PATH and none configured", why.toString());
    }

    @Test
    public void thisMachinesPathHasNoCompiler() {
        StringBuilder why = new StringBuilder();
        // the annotator runtime looks up the real PATH the same way
        assertNull("an edgetpu_compiler is installed here; the absent path is then untested",
                EdgeTpuCompiler.locate("", System.getenv("PATH"), 1000, why));
        assertTrue(why.toString(), why.toString().contains("no edgetpu_compiler on the PATH"));
    }

    @Test
    public void aConfiguredPathThatIsNotAnExecutableIsSaid() throws Exception {
        Path notExecutable = tmp.newFile("edgetpu_compiler").toPath();
        StringBuilder why = new StringBuilder();
        assertNull(EdgeTpuCompiler.locate(notExecutable.toString(), "", 1000, why));
        assertTrue(why.toString(), why.toString().contains("is not an executable file"));
    }

    @Test
    public void aStandInFoundOnThePathIsRunWithTheCompilersArgumentsAndItsOutputShipped() throws Exception {
        Path bin = tmp.newFolder("path-bin").toPath();
        // named edgetpu_compiler so the PATH lookup finds it; the body says what it is
        script(bin.resolve("edgetpu_compiler"), "echo \"STAND-IN for edgetpu_compiler (test only) args: $*\"\n"
                + "while [ $# -gt 1 ]; do case \"$1\" in -o) out=\"$2\"; shift;; esac; shift; done\n"
                + "in=\"$1\"; base=$(basename \"$in\" .tflite)\n"
                + "{ printf 'STAND-IN '; cat \"$in\"; } > \"$out/${base}_edgetpu.tflite\"\n");
        StringBuilder why = new StringBuilder();
        EdgeTpuCompiler c = EdgeTpuCompiler.locate("", "/nonexistent" + File.pathSeparator + bin, 30_000, why);
        assertNotNull(why.toString(), c);
        byte[] int8 = "int8 model bytes".getBytes(StandardCharsets.US_ASCII);
        EdgeTpuCompiler.Outcome o = c.compile(int8);
        assertNull(o.failure());
        assertArrayEquals("STAND-IN int8 model bytes".getBytes(StandardCharsets.US_ASCII), o.model());
        assertTrue(o.log(), o.log().startsWith("STAND-IN for edgetpu_compiler (test only) args: -s -o "));
        assertTrue(o.log(), o.log().endsWith("model_int8.tflite"));
    }

    @Test
    public void aFailingCompilerIsReportedWithItsOutput() throws Exception {
        Path fails = tmp.getRoot().toPath().resolve("failing-edgetpu-compiler-stand-in.sh");
        script(fails, "echo 'STAND-IN: Model not quantized' >&2\nexit 3\n");
        EdgeTpuCompiler c = EdgeTpuCompiler.locate(fails.toString(), "", 30_000, new StringBuilder());
        EdgeTpuCompiler.Outcome o = c.compile(new byte[] {1, 2, 3});
        assertNull(o.model());
        assertTrue(o.failure(), o.failure().endsWith("exited with 3"));
        assertEquals("STAND-IN: Model not quantized", o.log());
    }

    @Test
    public void aCompilerThatWritesNothingOrHangsIsAFailure() throws Exception {
        Path silent = tmp.getRoot().toPath().resolve("silent-edgetpu-compiler-stand-in.sh");
        script(silent, "exit 0\n");
        EdgeTpuCompiler.Outcome o = EdgeTpuCompiler.locate(silent.toString(), "", 30_000, new StringBuilder()).compile(new byte[1]);
        assertNull(o.model());
        assertTrue(o.failure(), o.failure().endsWith("wrote no model_int8_edgetpu.tflite"));

        Path hangs = tmp.getRoot().toPath().resolve("hanging-edgetpu-compiler-stand-in.sh");
        script(hangs, "exec sleep 600\n");
        o = EdgeTpuCompiler.locate(hangs.toString(), "", 500, new StringBuilder()).compile(new byte[1]);
        assertNull(o.model());
        assertTrue(o.failure(), o.failure().contains("did not finish within"));
    }

    private static void script(Path p, String body) throws Exception {
        Files.writeString(p, "#!/bin/sh\n" + body, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}

package io.edgetune.load;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.Test;

/** The probe's command line: --help asks for the usage only, and a typo is refused instead of starting a run. */
public class GatewayLoadCommandLineTest {

    private static String refusal(String... args) {
        return assertThrows(IllegalArgumentException.class, () -> GatewayLoad.parse(List.of(args))).getMessage();
    }

    @Test
    public void helpAsksForTheUsageOnly() {
        assertTrue(GatewayLoad.parse(List.of("--help")).help());
        assertTrue(GatewayLoad.parse(List.of("--quick", "-h")).help());
        assertTrue(GatewayLoad.USAGE.contains("--steps") && GatewayLoad.USAGE.contains("--gateway-jar"));
    }

    @Test
    public void unknownOptionsAndBadValuesAreRefused() {
        assertEquals("unknown option --stpes", refusal("--stpes", "0,2"));
        assertEquals("unknown option quick", refusal("quick"));
        assertEquals("--out needs a value", refusal("--out"));
        assertEquals("--gateway-jar needs a value", refusal("--gateway-jar", "--quick"));
        assertEquals("--steps needs comma-separated numbers, not '0,two'", refusal("--steps", "0,two"));
        assertEquals("--measure-s needs a whole number of seconds >= 1, not '0'", refusal("--measure-s", "0"));
    }

    @Test
    public void optionsReachTheRun() {
        GatewayLoad.Command c = GatewayLoad.parse(List.of("--gateway-jar", "/tmp/gw.jar", "--steps", "0, 2,4", "--measure-s", "30",
                "--settle-s", "10", "--no-naive", "--all-steps", "--out", "load.md"));
        assertFalse(c.help());
        assertEquals(Path.of("/tmp/gw.jar"), c.options().gatewayJar());
        assertEquals(List.of(0, 2, 4), c.options().staticSteps());
        assertEquals(30, c.options().measureSeconds());
        assertEquals(10, c.options().settleSeconds());
        assertFalse(c.options().naive());
        assertTrue(c.options().allSteps());
        assertEquals(Path.of("load.md"), c.out());
        assertNull(GatewayLoad.parse(List.of()).out());
        assertEquals(List.of(1), GatewayLoad.parse(List.of("--quick")).options().staticSteps());
    }
}

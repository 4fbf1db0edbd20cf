package io.edgetune.evaluation;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;

import org.junit.Test;

/** The harness's command line: --help asks for the usage only, and a typo is refused instead of starting a run. */
public class EvaluateCommandLineTest {

    private static String refusal(String... args) {
        return assertThrows(IllegalArgumentException.class, () -> Evaluate.parse(args)).getMessage();
    }

    @Test
    public void helpAsksForTheUsageOnly() {
        assertNull(Evaluate.parse(new String[] {"--help"}));
        assertNull(Evaluate.parse(new String[] {"--frames", "10", "-h"}));
    }

    @Test
    public void unknownOptionsAndMissingValuesAreRefused() {
        assertEquals("unknown option --frame", refusal("--frame", "10"));
        assertEquals("--out needs a value", refusal("--out"));
    }
}

package io.edgetune.api.config;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.Map;
import org.junit.Test;

public class OpenCvThreadsTest {

    private static OpenCvThreads.Choice resolve(String value) {
        return OpenCvThreads.resolve(value == null ? k -> null : Map.of(OpenCvThreads.PROPERTY, value)::get);
    }

    @Test
    public void unsetOrBlankMeansOneThread() {
        assertEquals(new OpenCvThreads.Choice(1, null), resolve(null));
        assertEquals(new OpenCvThreads.Choice(1, null), resolve("  "));
    }

    @Test
    public void aThreadCountIsTakenAsGiven() {
        assertEquals(new OpenCvThreads.Choice(0, null), resolve("0"));
        assertEquals(new OpenCvThreads.Choice(4, null), resolve(" 4 "));
    }

    @Test
    public void anythingElseIsNamedAndOneThreadIsUsed() {
        for (String bad : new String[] {"-2", "two", "1.5"}) {
            OpenCvThreads.Choice c = resolve(bad);
            assertEquals(1, c.threads());
            assertTrue(c.problem(), c.problem().contains(OpenCvThreads.PROPERTY + "=" + bad) && c.problem().contains("using 1"));
        }
        assertNull(resolve("3").problem());
    }
}

package io.edgetune.annotator.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.util.List;
import org.junit.Test;

/** What the review page says a camera's next automatic round waits for. */
public class RoundWaitTest {

    private static Retrainer.Settings settings(boolean auto) {
        return new Retrainer.Settings(auto, 40, 10, 60, null, null, "base", null, null, true, 1024, 1000, List.of(), 300, 300,
                "ssd-mobilenet-v2:300", "edgetune", "annotator", true, "", 300);
    }

    @Test
    public void eachMissingConditionIsNamedWithItsCount() {
        assertEquals("next round waiting for 37 more new labelled frames (23/60), 17 more training frames (23/40), "
                + "10 more validation frames (0/10)", Retrainer.waitingFor(settings(true), 23, 23, 0));
        assertEquals("next round waiting for 3 more validation frames (7/10)", Retrainer.waitingFor(settings(true), 60, 53, 7));
        assertNull("everything there: the round starts", Retrainer.waitingFor(settings(true), 60, 40, 10));
        assertEquals("automatic rounds are off: start one with Retrain now", Retrainer.waitingFor(settings(false), 100, 100, 100));
    }
}

package io.edgetune.annotator.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.edgetune.trainer.Evaluation;
import java.util.Map;
import org.junit.Test;

/** When a retrained model may replace the gateway's. */
public class PublicationRuleTest {

    private static Evaluation eval(double ap, double recall, double precision) {
        return new Evaluation(ap, Map.of("Person", ap), recall, precision, 0.5, 20, 100);
    }

    @Test
    public void betterOperatingPointWithoutWorseRankingIsPublished() {
        Evaluation gateway = eval(0.603, 0.209, 1.0);
        assertEquals(0.3457, Retrainer.f1(gateway), 1e-3);
        assertTrue(Retrainer.beats(gateway, eval(0.600, 0.363, 0.955), 0.02));
        assertFalse("a higher F1 bought with a worse ranking is refused", Retrainer.beats(gateway, eval(0.55, 0.5, 0.9), 0.02));
        assertFalse("a better ranking with a worse operating point is refused", Retrainer.beats(gateway, eval(0.7, 0.15, 1.0), 0.02));
        assertFalse("equal is not better", Retrainer.beats(gateway, gateway, 0.02));
        assertEquals(0, Retrainer.f1(eval(0, 0, 0)), 0);
    }
}

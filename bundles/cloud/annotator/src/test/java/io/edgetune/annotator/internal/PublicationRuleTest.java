package io.edgetune.annotator.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.edgetune.trainer.Evaluation;
import io.edgetune.trainer.ModelJudge;
import java.util.Map;
import org.junit.Test;

/** What a round's record says about where a gain came from (the rule itself: trainer's ModelJudgeTest, on real frames). */
public class PublicationRuleTest {

    private static Evaluation eval(double ap, double recall, double precision) {
        return new Evaluation(ap, Map.of("Person", ap), recall, precision, 0.4, 20, 100);
    }

    @Test
    public void theRecordSplitsTheGainIntoThresholdsAndWeights() {
        Evaluation atGateway = eval(0.603, 0.209, 1.0);
        Evaluation tuned = eval(0.603, 0.300, 0.950);
        Evaluation retrained = eval(0.610, 0.400, 0.950);
        ModelJudge.Verdict v = new ModelJudge.Verdict(atGateway, tuned, retrained, Map.of("Person", 0.3), Map.of("Person", 0.35));
        assertEquals(0.3457, Retrainer.f1(atGateway), 1e-3);
        String text = Retrainer.gains(v, "base-oidv4");
        assertTrue(text, text.contains("F1 0.346 (base-oidv4 at the gateway's threshold 0.40) +0.110 from thresholds alone +0.107 "
                + "from the new weights = 0.563; AP@0.5 0.603 -> 0.610"));
        assertTrue(v.publishable());
        assertFalse("a gain from thresholds alone is not a better model",
                new ModelJudge.Verdict(atGateway, tuned, tuned, Map.of(), Map.of()).publishable());
        assertEquals(0, Retrainer.f1(eval(0, 0, 0)), 0);
    }
}

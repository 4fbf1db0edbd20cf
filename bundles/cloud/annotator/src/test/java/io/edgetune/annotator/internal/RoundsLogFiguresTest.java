package io.edgetune.annotator.internal;

import static org.junit.Assert.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.Test;

/** rounds.log keeps a round's figures to four decimals, in order, with undefined ones as null. */
public class RoundsLogFiguresTest {

    @Test
    public void figuresAreRoundedAndUndefinedOnesAreNull() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("base.f1", 0.123456);
        m.put("train.images", 48.0);
        m.put("gain.weights.f1", -0.00004);
        m.put("edge.recall", Double.NaN);
        m.put("threshold.Person", null);
        assertEquals("{\"base.f1\":0.1235,\"train.images\":48.0,\"gain.weights.f1\":0.0,\"edge.recall\":null,\"threshold.Person\":null}",
                Retrainer.figures(m).toString());
    }
}

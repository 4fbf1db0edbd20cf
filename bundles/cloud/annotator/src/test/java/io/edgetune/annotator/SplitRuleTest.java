package io.edgetune.annotator;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.edgetune.annotator.internal.SplitRule;
import io.edgetune.annotator.internal.SplitRule.Split;
import org.junit.Test;

public class SplitRuleTest {

    @Test
    public void trainAndValidationSamplesAreNeverCloserThanTheGuard() {
        SplitRule rule = new SplitRule(60_000, 4, 10_000);
        long lastTrain = Long.MIN_VALUE / 2;
        long lastVal = Long.MIN_VALUE / 2;
        int[] counts = new int[3];
        // one sample every 250 ms over 2 hours, across the epoch's zero as well
        for (long t = -3_600_000; t < 3_600_000; t += 250) {
            Split s = rule.splitOf(t);
            counts[s.ordinal()]++;
            if (s == Split.TRAIN) {
                assertTrue("train at " + t + " is " + (t - lastVal) + " ms after a validation sample", t - lastVal >= 10_000);
                lastTrain = t;
            } else if (s == Split.VAL) {
                assertTrue("val at " + t + " is " + (t - lastTrain) + " ms after a training sample", t - lastTrain >= 10_000);
                lastVal = t;
            }
        }
        int all = counts[0] + counts[1] + counts[2];
        // 1 block in 4 to validation; each of its two boundaries costs 2 x 5 s of 240 s per 4 blocks
        assertEquals(0.25 - 10.0 / 240, counts[Split.VAL.ordinal()] / (double) all, 0.005);
        assertEquals(20.0 / 240, counts[Split.GUARD.ordinal()] / (double) all, 0.005);
    }

    @Test
    public void splitDependsOnTheTimestampOnly() {
        SplitRule rule = SplitRule.defaults();
        assertEquals(Split.TRAIN, rule.splitOf(60_000));
        assertEquals(Split.VAL, rule.splitOf(4 * 600_000 + 300_000));
        assertEquals(Split.GUARD, rule.splitOf(4 * 600_000 + 1_000));
        assertEquals(Split.GUARD, rule.splitOf(4 * 600_000 - 1_000));
        // two training blocks meet: no guard needed there
        assertEquals(Split.TRAIN, rule.splitOf(600_000));
    }

    @Test
    public void nonsenseRulesAreRefused() {
        for (long[] bad : new long[][] {{0, 5, 0}, {1000, 1, 0}, {1000, 5, 1000}, {1000, 5, -1}}) {
            try {
                new SplitRule(bad[0], (int) bad[1], bad[2]);
                fail("accepted " + java.util.Arrays.toString(bad));
            } catch (IllegalArgumentException expected) {
                assertTrue(expected.getMessage().contains("split rule"));
            }
        }
    }
}

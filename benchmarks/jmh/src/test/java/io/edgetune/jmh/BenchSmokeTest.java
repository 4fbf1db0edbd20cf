package io.edgetune.jmh;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Collection;
import org.junit.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The JMH wiring (generated benchmark list, set-up on the real frames)
 * works: one short in-process iteration of the cheapest benchmark. Speed
 * is not asserted.
 */
public class BenchSmokeTest {

    @Test
    public void cropPreparationRunsOneIteration() throws Exception {
        Options opt = new OptionsBuilder()
                .include(InputPreparationBench.class.getName() + ".prepare")
                .param("region", "crop")
                .param("tensor", "float32")
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(100))
                .build();
        Collection<RunResult> results = new Runner(opt).run();
        assertEquals(1, results.size());
        double usPerOp = results.iterator().next().getPrimaryResult().getScore();
        System.out.println("crop preparation: " + usPerOp + " us/op");
        assertTrue("a positive time per preparation: " + usPerOp, usPerOp > 0 && Double.isFinite(usPerOp));
    }
}

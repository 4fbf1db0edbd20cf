package io.edgetune.jmh;

import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the gateway benchmarks share (JMH annotations are inherited): average
 * time per operation, 3 warm-up and 5 measured one-second iterations in one
 * fork, state per thread, OpenCV on one thread as in the gateway. A benchmark
 * states its own time unit and overrides what it needs otherwise.
 */
@BenchmarkMode(Mode.AverageTime)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public abstract class GatewayBench {

    static {
        // as the gateway runs OpenCV (the bytedeco bundle's activator)
        org.bytedeco.opencv.global.opencv_core.setNumThreads(io.edgetune.api.config.OpenCvThreads.resolve(System::getProperty).threads());
    }
}

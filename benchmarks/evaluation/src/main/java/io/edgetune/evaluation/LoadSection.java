package io.edgetune.evaluation;

/** Capacity, latency and memory from the gateway load probe (benchmarks/gateway-load), when asked for. */
final class LoadSection {

    private LoadSection() {
    }

    static String run(EvaluationOptions o) {
        return "The gateway load probe is not wired into this build yet: run `java -jar benchmarks/gateway-load/target/edgetune-gateway-load.jar`.\n";
    }
}

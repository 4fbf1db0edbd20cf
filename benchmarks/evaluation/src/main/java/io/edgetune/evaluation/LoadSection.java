package io.edgetune.evaluation;

import io.edgetune.load.GatewayLoad;
import io.edgetune.load.LoadOptions;
import io.edgetune.load.LoadResults;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Capacity, latency and memory from the gateway load probe (benchmarks/gateway-load), which runs the real
 * gateway runtime as a child process; only when asked for, since it takes minutes.
 */
final class LoadSection {

    private LoadSection() {
    }

    /** The probe's Markdown section, or a paragraph saying why it could not run; never fails the evaluation. */
    static String run(EvaluationOptions o) {
        // absolute: the probe starts the gateway in its own working directory
        Path gatewayJar = o.gatewayJar().toAbsolutePath();
        boolean quick = o.loadQuick();
        if (!Files.isRegularFile(gatewayJar)) {
            return "The gateway runtime `" + gatewayJar + "` was not found, so capacity, latency and memory were not "
                    + "measured. Build it (`mvn -B -pl features/gateway -am package`) or pass `--gateway-jar FILE`.\n";
        }
        LoadOptions lo = (quick ? LoadOptions.quick(gatewayJar) : LoadOptions.defaults(gatewayJar))
                .withAssetsDir(o.modelFile().getParent())
                .withProgress(line -> o.progress().println("gateway load: " + line));
        try {
            LoadResults r = GatewayLoad.run(lo);
            // the probe's own section heading sits under this report's capacity section
            return r.markdown().replaceFirst("^## ", "### ");
        } catch (Exception e) {
            o.progress().println("gateway load probe failed: " + e);
            return "The gateway load probe failed: `" + e.getMessage() + "`; see the console output.\n";
        }
    }
}

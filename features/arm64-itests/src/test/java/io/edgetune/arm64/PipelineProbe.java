package io.edgetune.arm64;

import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Main class for the arm64 JVM: {@code PipelineProbe <video> <labels> <reference frames> <result file> name=model.tflite[,int8.tflite]...}
 * runs {@link PipelineRun} and writes its result (Java serialization) for the x86_64 test to compare.
 */
public final class PipelineProbe {

    private PipelineProbe() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 5) {
            throw new IllegalArgumentException("usage: PipelineProbe <video> <labels> <reference frames> <result file>"
                    + " name=model.tflite[,int8.tflite]...");
        }
        Map<String, List<Path>> models = new LinkedHashMap<>();
        for (int i = 4; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            models.put(args[i].substring(0, eq), Arrays.stream(args[i].substring(eq + 1).split(",")).map(Paths::get).toList());
        }
        List<String> labels = Files.readAllLines(Paths.get(args[1])).stream().filter(s -> !s.isBlank())
                .map(String::trim).toList();
        PipelineRun.Result r = PipelineRun.run(Paths.get(args[0]), Paths.get(args[2]), labels, models);
        try (OutputStream out = Files.newOutputStream(Paths.get(args[3]));
             ObjectOutputStream o = new ObjectOutputStream(out)) {
            o.writeObject(r);
        }
        System.out.printf("probe on %s: %d frames, milliseconds %s%n", r.arch(), r.decoded().size(), r.millis());
        System.out.println("builds " + r.builds());
        for (PipelineRun.Pass p : r.passes()) {
            System.out.printf("  %s frame %d %s: %d boxes in %d ms%n", p.model(), p.frame(), p.mode(), p.boxes().size(),
                    p.nanos() / 1_000_000);
        }
    }
}

package io.edgetune.trainer;

import io.edgetune.tflite.Calibration;
import io.edgetune.tflite.Quantizer;
import io.edgetune.tflite.TensorType;
import io.edgetune.tflite.TfliteException;
import io.edgetune.tflite.TfliteModel;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The full-integer (int8) build of a float detector, calibrated on the camera's own frames: the float model runs
 * on each calibration image through the gateway's own input preparation with every activation tensor listed as an
 * interpreter output (so the arena keeps it), the minimum and maximum of each are folded into a
 * {@link Calibration}, and {@link Quantizer} writes the int8 model. The input range is the preparation's [-1, 1],
 * so the build's uint8 input takes the frame's RGB pixels as they are (scale 2/255, zero point 128).
 */
public final class Int8Build {

    private static final Logger LOG = LoggerFactory.getLogger(Int8Build.class);

    /**
     * @param model       the int8 model file
     * @param images      calibration images that were read
     * @param description input and output types and parameters, for people (docs, logs)
     */
    public record Result(byte[] model, int images, String description) {
    }

    private Int8Build() {
    }

    /** Calibrates on the images (unreadable ones are skipped with a warning) and quantizes: uint8 input, int8 outputs. */
    public static Result build(byte[] floatModel, List<LabelledImage> calibration, TrainerSettings settings,
                               BooleanSupplier stop) throws TrainingException {
        return build(floatModel, calibration, settings, new Quantizer.Options(), stop);
    }

    public static Result build(byte[] floatModel, List<LabelledImage> calibration, TrainerSettings settings,
                               Quantizer.Options options, BooleanSupplier stop) throws TrainingException {
        long started = System.nanoTime();
        TfliteFile file = TfliteFile.parse(floatModel);
        Calibration cal = new Calibration(file.model);
        int input = file.model.main().inputs[0];
        int[] extra = Arrays.stream(cal.tensors())
                .filter(t -> t != input && Arrays.stream(file.outputs).noneMatch(o -> o == t)).toArray();
        try (DetectorPass pass = new DetectorPass(floatModel, file, extra, settings.anchors(), settings.threads())) {
            for (LabelledImage li : calibration) {
                if (stop.getAsBoolean()) {
                    throw TrainingException.cancelledDuring("calibrating");
                }
                if (!pass.runOn(li.jpeg(), "calibration")) {
                    continue;
                }
                for (int k = 0; k < extra.length; k++) {
                    cal.observe(extra[k], pass.feature(k));
                }
                cal.observe(pass.boxIndex, pass.boxes());
                cal.observe(pass.logitIndex, pass.logits());
                cal.sampleDone();
            }
        }
        if (cal.samples() == 0) {
            throw new TrainingException("no calibration image could be read (" + calibration.size() + " given)");
        }
        // what InputPreparer writes: pixel / 127.5 - 1
        cal.set(input, -1f, 1f);
        try {
            byte[] q = Quantizer.quantize(floatModel, cal, options);
            String description = describe(TfliteModel.read(q));
            LOG.info("int8 build calibrated on {} images in {} ms: {}", cal.samples(), (System.nanoTime() - started) / 1_000_000,
                    description);
            return new Result(q, cal.samples(), description);
        } catch (TfliteException e) {
            throw new TrainingException("int8 quantization failed: " + e.getMessage(), e);
        }
    }

    /** "input uint8 [1,300,300,3] scale .. zero point ..; output ..." */
    static String describe(TfliteModel m) {
        StringBuilder s = new StringBuilder();
        for (int i : m.main().inputs) {
            s.append("input ").append(edge(m, i)).append("; ");
        }
        for (int i : m.main().outputs) {
            s.append("output ").append(edge(m, i)).append("; ");
        }
        return s.substring(0, s.length() - 2);
    }

    private static String edge(TfliteModel m, int index) {
        io.edgetune.tflite.Tensor t = m.main().tensors.get(index);
        String q = t.quantization == null || !t.quantization.isQuantized() ? ""
                : String.format(java.util.Locale.ROOT, " scale %.9g zero point %d", t.quantization.scale[0], t.quantization.zeroPoint[0]);
        return t.name + " " + TensorType.name(t.type).toLowerCase(java.util.Locale.ROOT) + Arrays.toString(t.shape) + q;
    }

}

package io.edgetune.trainer;

import java.util.List;
import java.util.Random;

/**
 * Models made worse on purpose, for tests that need a model the loop can
 * really improve: the same graph and size, with the Person rows of every
 * class head halved and blurred with noise, so that the model still finds
 * people but ranks them worse. Deterministic per seed. Public so that other
 * modules' tests (the self-improvement loop) can use it from the test jar.
 */
public final class DamagedModels {

    private DamagedModels() {
    }

    public static byte[] personRanksWorse(byte[] model, List<String> labels, long seed) throws TrainingException {
        byte[] worse = model.clone();
        int person = labels.indexOf("Person");
        if (person < 0) {
            throw new IllegalArgumentException("no Person in the labels");
        }
        Random r = new Random(seed);
        for (ClassHead h : ClassHead.find(TfliteFile.parse(model), model, labels.size())) {
            float[] w = h.weights.clone();
            for (int row = 0; row < h.anchorsPerCell * h.classes; row++) {
                if (row % h.classes == person) {
                    for (int k = row * h.channels; k < (row + 1) * h.channels; k++) {
                        w[k] = w[k] * 0.5f + (float) r.nextGaussian() * 0.05f;
                    }
                }
            }
            h.write(worse, w, h.bias.clone());
        }
        return worse;
    }
}

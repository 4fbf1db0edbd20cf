package io.edgetune.trainer;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import java.util.Arrays;
import java.util.List;
import org.junit.Test;

/** Same images, same settings and seed: the same model, byte for byte. */
public class DeterminismTest {

    private static TrainingResult run(long seed) throws Exception {
        List<LabelledImage> train = TeacherData.train().subList(0, 24);
        return new HeadTrainer(TrainerSettings.defaults().withEpochs(2).withSeed(seed)).train(TeacherData.model(),
                TeacherData.labels(), train, TeacherData.validation().subList(0, 4), null, null);
    }

    @Test
    public void sameSeedSameModelOtherSeedOtherModel() throws Exception {
        TrainingResult a = run(1);
        TrainingResult b = run(1);
        assertArrayEquals(a.model(), b.model());
        assertEquals(a.thresholds(), b.thresholds());
        assertEquals(a.retrained(), b.retrained());
        TrainingResult c = run(2);
        assertFalse("another seed shuffles differently, so the weights differ", Arrays.equals(a.model(), c.model()));
    }
}

package io.edgetune.trainer;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The fair comparison on the teacher's labels of vtest.avi (first 56 sampled
 * frames to choose thresholds, last 20 to judge): the base model with only
 * its thresholds changed, and a model whose Person head got worse, are not
 * publishable; a threshold gain is reported as such, not as a better model.
 */
public class ModelJudgeTest {

    private static byte[] base;
    private static List<String> labels;

    @BeforeClass
    public static void load() throws Exception {
        base = Files.readAllBytes(TeacherData.model());
        labels = TeacherData.labels();
    }

    private static ModelJudge.Verdict judge(byte[] candidate) throws Exception {
        return new ModelJudge(TrainerSettings.defaults()).judge(base, candidate, labels, TeacherData.train(),
                TeacherData.validation(), Set.of("Person", "Car"));
    }

    @Test
    public void theBaseModelWithTunedThresholdsIsNotABetterModel() throws Exception {
        ModelJudge.Verdict v = judge(base.clone());
        System.out.printf("base at 0.4: F1 %.3f; base at tuned thresholds %s: F1 %.3f; AP@0.5 %.3f%n",
                ModelJudge.f1(v.baseAtGateway()), v.baseThresholds(), ModelJudge.f1(v.baseTuned()), v.baseTuned().ap50());
        assertEquals("the same weights get the same thresholds", v.baseThresholds(), v.candidateThresholds());
        assertTrue("the procedure chose a Person threshold: " + v.baseThresholds(), v.baseThresholds().containsKey("Person"));
        assertEquals(0, v.weightsGain(), 0);
        assertEquals(0, v.apGain(), 0);
        assertFalse("thresholds alone must not pass as a better model: " + v, v.publishable());
        // what the old rule (base at the gateway's threshold vs candidate at tuned ones) would have credited
        assertEquals(ModelJudge.f1(v.baseTuned()) - ModelJudge.f1(v.baseAtGateway()), v.thresholdGain(), 1e-12);
        assertEquals(v.baseAtGateway().ap50(), v.baseTuned().ap50(), 0);
    }

    @Test
    public void aModelThatRanksPersonsWorseIsNotPublished() throws Exception {
        // the Person rows of every class head blurred toward zero: the model still finds people, but ranks them worse
        byte[] worse = DamagedModels.personRanksWorse(base, labels, 7);
        ModelJudge.Verdict v = judge(worse);
        System.out.printf("damaged Person head: AP@0.5 %.3f vs %.3f, F1 %.3f vs %.3f%n", v.candidate().ap50(),
                v.baseTuned().ap50(), ModelJudge.f1(v.candidate()), ModelJudge.f1(v.baseTuned()));
        assertTrue("the damage must lower AP for this test to mean anything: " + v, v.apGain() < 0);
        assertFalse(v.publishable());
    }

    @Test
    public void publicationNeedsBothNoLowerApAndHigherF1() {
        Evaluation a = new Evaluation(0.60, java.util.Map.of("Person", 0.60), 0.30, 0.90, 0.4, 20, 100);
        Evaluation higherF1LowerAp = new Evaluation(0.599, java.util.Map.of("Person", 0.599), 0.50, 0.90, 0.4, 20, 100);
        Evaluation sameApHigherF1 = new Evaluation(0.60, java.util.Map.of("Person", 0.60), 0.40, 0.90, 0.4, 20, 100);
        Evaluation higherApSameF1 = new Evaluation(0.70, java.util.Map.of("Person", 0.70), 0.30, 0.90, 0.4, 20, 100);
        assertFalse("no AP tolerance", new ModelJudge.Verdict(a, a, higherF1LowerAp, java.util.Map.of(), java.util.Map.of()).publishable());
        assertTrue(new ModelJudge.Verdict(a, a, sameApHigherF1, java.util.Map.of(), java.util.Map.of()).publishable());
        assertFalse("equal F1 is not better", new ModelJudge.Verdict(a, a, higherApSameF1, java.util.Map.of(), java.util.Map.of()).publishable());
    }
}

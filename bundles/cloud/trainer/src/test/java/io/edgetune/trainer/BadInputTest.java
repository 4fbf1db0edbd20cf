package io.edgetune.trainer;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Inputs the trainer must refuse with a clear message, and cancellation. */
public class BadInputTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static String failure(Path model, List<LabelledImage> train) throws Exception {
        try {
            new HeadTrainer(TrainerSettings.defaults()).train(model, TeacherData.labels(), train, TeacherData.validation(), null, null);
        } catch (TrainingException e) {
            System.out.println("refused: " + e.getMessage());
            return e.getMessage();
        }
        fail("training should have been refused");
        return null;
    }

    @Test
    public void truncatedModelFile() throws Exception {
        byte[] model = Files.readAllBytes(TeacherData.model());
        Path cut = tmp.newFile("cut.tflite").toPath();
        Files.write(cut, Arrays.copyOf(model, model.length / 3));
        String m = failure(cut, TeacherData.train().subList(0, 3));
        assertTrue(m, m.contains("truncated or corrupt"));
    }

    @Test
    public void fileThatIsNoModel() throws Exception {
        Path text = tmp.newFile("model.tflite").toPath();
        Files.writeString(text, "not a model at all", StandardCharsets.UTF_8);
        String m = failure(text, TeacherData.train().subList(0, 3));
        assertTrue(m, m.contains("not a TFLite model"));
        String missing = failure(tmp.getRoot().toPath().resolve("absent.tflite"), TeacherData.train().subList(0, 3));
        assertTrue(missing, missing.contains("cannot read base model"));
    }

    @Test
    public void modelWithoutClassHeads() throws Exception {
        // the real model with its class-head tensors renamed: a detector whose heads the trainer does not know
        byte[] model = Files.readAllBytes(TeacherData.model());
        byte[] from = "ClassPredictor".getBytes(StandardCharsets.US_ASCII);
        byte[] to = "ClassPrediktor".getBytes(StandardCharsets.US_ASCII);
        int renamed = 0;
        for (int i = 0; i + from.length <= model.length; i++) {
            if (Arrays.equals(model, i, i + from.length, from, 0, from.length)) {
                System.arraycopy(to, 0, model, i, to.length);
                renamed++;
            }
        }
        assertTrue(renamed >= 6);
        Path renamedModel = tmp.newFile("renamed.tflite").toPath();
        Files.write(renamedModel, model);
        String m = failure(renamedModel, TeacherData.train().subList(0, 3));
        assertTrue(m, m.contains("no SSD class heads"));
    }

    @Test
    public void emptyTrainingSet() throws Exception {
        String m = failure(TeacherData.model(), List.of());
        assertEquals("no training images", m);
    }

    @Test
    public void imagesWithoutLabelsGiveNoPositives() throws Exception {
        List<LabelledImage> unlabelled = new ArrayList<>();
        for (LabelledImage li : TeacherData.train().subList(0, 4)) {
            unlabelled.add(new LabelledImage(li.jpeg(), List.of()));
        }
        String m = failure(TeacherData.model(), unlabelled);
        assertTrue(m, m.contains("no class has at least 20 positive anchors in 4 training images (positives: none)"));
    }

    @Test
    public void unreadableImageIsSkippedNotFatal() throws Exception {
        Path broken = tmp.newFile("broken.jpg").toPath();
        Files.writeString(broken, "no jpeg", StandardCharsets.UTF_8);
        List<LabelledImage> train = new ArrayList<>(TeacherData.train().subList(0, 8));
        train.add(new LabelledImage(broken, TeacherData.train().get(0).truth()));
        TrainingResult r = new HeadTrainer(TrainerSettings.defaults().withEpochs(1)).train(TeacherData.model(), TeacherData.labels(),
                train, TeacherData.validation().subList(0, 2), null, null);
        assertEquals(8, r.trainImages());
    }

    @Test
    public void cancellationStopsDuringFeatureExtraction() throws Exception {
        AtomicBoolean cancel = new AtomicBoolean();
        AtomicInteger afterCancel = new AtomicInteger();
        TrainingListener listener = p -> {
            if (cancel.get()) {
                afterCancel.incrementAndGet();
            }
            if (p.phase().equals(TrainingProgress.FEATURES) && p.done() == 3) {
                cancel.set(true);
            }
        };
        try {
            new HeadTrainer(TrainerSettings.defaults()).train(TeacherData.model(), TeacherData.labels(), TeacherData.train(),
                    TeacherData.validation(), listener, cancel::get);
            fail("cancelled training returned a result");
        } catch (TrainingException e) {
            System.out.println("cancelled: " + e.getMessage());
            assertTrue(e.cancelled());
            assertTrue(e.getMessage(), e.getMessage().contains("features"));
            assertEquals("no image processed after the cancel request", 0, afterCancel.get());
        }
    }

    @Test
    public void cancellationStopsDuringTraining() throws Exception {
        AtomicBoolean cancel = new AtomicBoolean();
        TrainingListener listener = p -> {
            if (p.phase().equals(TrainingProgress.TRAINING) && p.epoch() == 1) {
                cancel.set(true);
            }
        };
        try {
            new HeadTrainer(TrainerSettings.defaults()).train(TeacherData.model(), TeacherData.labels(), TeacherData.train().subList(0, 20),
                    TeacherData.validation(), listener, cancel::get);
            fail("cancelled training returned a result");
        } catch (TrainingException e) {
            assertTrue(e.cancelled());
            assertTrue(e.getMessage(), e.getMessage().contains("training"));
        }
    }
}

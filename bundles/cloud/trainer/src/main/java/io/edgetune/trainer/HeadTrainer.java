package io.edgetune.trainer;

import io.edgetune.api.detect.Detection;
import io.edgetune.inference.ssd.SsdAnchors;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fine-tunes the SSD class heads of a TFLite detector on teacher labels with
 * the backbone frozen, and writes the new weights into a copy of the model.
 *
 * <p>Steps: (1) one full-frame pass per training image reads the feature maps
 * that feed BoxPredictor_k/ClassPredictor and caches the cells that hold
 * positives plus candidate hard negatives; (2) per class with enough
 * positives, Adam on sigmoid cross-entropy over positives and the hardest
 * negatives (3 per positive, re-mined every epoch), pulled toward the base
 * weights; (3) float16 weights written in place; (4) {@link ModelJudge}: for
 * base and retrained alike, per-class thresholds at best F1 on the training
 * split, then both scored on the validation split with the gateway's own
 * full-frame pass. Deterministic for a
 * given seed. One run at a time per instance.
 */
public final class HeadTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(HeadTrainer.class);

    private final TrainerSettings settings;

    public HeadTrainer(TrainerSettings settings) {
        this.settings = settings;
    }

    public TrainingResult train(Path baseModel, List<String> labels, List<LabelledImage> train, List<LabelledImage> validation,
                                TrainingListener listener, BooleanSupplier cancelled) throws TrainingException {
        long start = System.currentTimeMillis();
        TrainingListener out = listener != null ? listener : p -> { };
        BooleanSupplier stop = cancelled != null ? cancelled : () -> false;
        if (train == null || train.isEmpty()) {
            throw new TrainingException("no training images");
        }
        if (labels == null || labels.size() < 2) {
            throw new TrainingException("label map needs background plus at least one class, got " + labels);
        }
        List<LabelledImage> val = validation != null ? validation : List.of();
        byte[] base = readModel(baseModel);
        TfliteFile file = TfliteFile.parse(base);
        List<ClassHead> heads = ClassHead.find(file, base, labels.size());
        Progress progress = new Progress(out, train.size(), train.size() + val.size(), settings.epochs());

        FeatureCache cache;
        int usedImages;
        try (DetectorPass pass = new DetectorPass(base, file, heads, settings.anchors(), settings.threads())) {
            if (pass.classes != labels.size()) {
                throw new TrainingException("model predicts " + pass.classes + " classes but the label map has " + labels.size());
            }
            checkHeadsCover(heads, pass.anchors);
            cache = new FeatureCache(heads.size());
            usedImages = extract(pass, heads, labels.size(), train, cache, progress, stop);
        }
        int[] positives = cache.positives(labels.size());
        List<Integer> trainable = new ArrayList<>();
        StringBuilder counts = new StringBuilder();
        int trainedPositives = 0;
        for (int c = 1; c < labels.size(); c++) {
            if (positives[c] > 0) {
                counts.append(counts.length() == 0 ? "" : ", ").append(labels.get(c)).append(' ').append(positives[c]);
            }
            if (positives[c] >= settings.minPositives()) {
                trainable.add(c);
                trainedPositives += positives[c];
            }
        }
        if (trainable.isEmpty()) {
            throw new TrainingException("no class has at least " + settings.minPositives() + " positive anchors in "
                    + usedImages + " training images (positives: " + (counts.length() == 0 ? "none" : counts) + ")");
        }
        LOG.info("retraining {} on {} images: {} cached cells ({} MB), positive anchors {}; training classes {}",
                baseModel.getFileName(), usedImages, cache.cells(), cache.bytes >> 20, counts, names(trainable, labels));

        HeadOptimizer optimizer = new HeadOptimizer(heads, cache, trainable, settings);
        optimizer.run(progress, stop);
        byte[] retrained = base.clone();
        for (int h = 0; h < heads.size(); h++) {
            heads.get(h).write(retrained, optimizer.weights[h], optimizer.bias[h]);
        }

        ModelJudge.Verdict verdict = new ModelJudge(settings).judge(base, retrained, labels, train, val,
                names(trainable, labels), (phase, done, total) -> progress.image(phase, done, total), stop);
        long millis = System.currentTimeMillis() - start;
        LOG.info("retraining done in {} s: validation AP@0.5 {} -> {}; F1 {} at the gateway's threshold, {} from thresholds alone, "
                        + "{} from the new weights; thresholds {}", millis / 1000, f(verdict.baseTuned().ap50()),
                f(verdict.candidate().ap50()), f(ModelJudge.f1(verdict.baseAtGateway())), f(verdict.thresholdGain()),
                f(verdict.weightsGain()), verdict.candidateThresholds());
        out.progress(new TrainingProgress(TrainingProgress.DONE, settings.epochs(), settings.epochs(), optimizer.lastLoss, 0,
                1, 1));
        return new TrainingResult(retrained, verdict, millis, settings.epochs(), usedImages, trainedPositives);
    }

    private static String f(double v) {
        return String.format(java.util.Locale.ROOT, "%.3f", v);
    }

    private static List<String> names(List<Integer> classes, List<String> labels) {
        List<String> n = new ArrayList<>();
        for (int c : classes) {
            n.add(labels.get(c));
        }
        return n;
    }

    private static byte[] readModel(Path model) throws TrainingException {
        try {
            return Files.readAllBytes(model);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new TrainingException("cannot read base model " + model + ": no such file", e);
        } catch (IOException | RuntimeException e) {
            throw new TrainingException("cannot read base model " + model + ": " + e.getMessage(), e);
        }
    }

    private static void checkHeadsCover(List<ClassHead> heads, int anchors) throws TrainingException {
        int n = 0;
        for (ClassHead h : heads) {
            n += h.anchors();
        }
        if (n != anchors) {
            throw new TrainingException("class heads cover " + n + " anchors but the model outputs " + anchors);
        }
    }

    /** Feature pass over the training images; returns how many were cached. */
    private int extract(DetectorPass pass, List<ClassHead> heads, int classes, List<LabelledImage> train, FeatureCache cache,
                        Progress progress, BooleanSupplier stop) throws TrainingException {
        SsdAnchors anchors = SsdAnchors.fromScheme(settings.anchors(), 300);
        AnchorMatcher matcher = new AnchorMatcher(anchors, settings);
        int[] labels = new int[anchors.count()];
        // classes labelled anywhere in the training split: the ones whose false alarms are worth mining
        boolean[] labelled = new boolean[classes];
        for (LabelledImage li : train) {
            for (Detection d : li.truth()) {
                if (d.classId() > 0 && d.classId() < classes) {
                    labelled[d.classId()] = true;
                }
            }
        }
        long budget = (long) settings.maxCacheMegabytes() << 20;
        int used = 0;
        progress.restartClock();
        for (int i = 0; i < train.size(); i++) {
            if (stop.getAsBoolean()) {
                throw TrainingException.cancelledDuring(TrainingProgress.FEATURES);
            }
            if (cache.bytes >= budget) {
                LOG.warn("feature cache reached {} MB after {} of {} training images; the rest are not used",
                        settings.maxCacheMegabytes(), i, train.size());
                break;
            }
            LabelledImage li = train.get(i);
            if (!pass.runOn(li.jpeg(), "training")) {
                continue;
            }
            matcher.match(li.truth(), pass.width(), pass.height(), classes, labels, settings.matchPredictedBoxes() ? pass.boxes() : null);
            cacheImage(pass, heads, labels, labelled, new Random(settings.seed() * 31 + i), cache);
            used++;
            progress.image(TrainingProgress.FEATURES, i + 1, train.size());
        }
        return used;
    }

    /** Caches the cells of one image that hold positives, the base model's worst false alarms, and a few random ones. */
    private void cacheImage(DetectorPass pass, List<ClassHead> heads, int[] labels, boolean[] labelled, Random random,
                            FeatureCache cache) {
        FloatBuffer logits = pass.logits();
        int classes = pass.classes;
        record Cell(int head, int cell, int firstAnchor, float hardness) {
        }
        List<Cell> negatives = new ArrayList<>();
        int anchor = 0;
        for (int h = 0; h < heads.size(); h++) {
            ClassHead head = heads.get(h);
            for (int cell = 0; cell < head.cells(); cell++, anchor += head.anchorsPerCell) {
                boolean positive = false;
                float hardness = Float.NEGATIVE_INFINITY;
                for (int s = 0; s < head.anchorsPerCell; s++) {
                    int label = labels[anchor + s];
                    positive |= label > 0;
                    if (label == 0) {
                        for (int c = 1; c < classes; c++) {
                            if (labelled[c]) {
                                hardness = Math.max(hardness, logits.get((anchor + s) * classes + c));
                            }
                        }
                    }
                }
                if (positive) {
                    cache.add(h, copyFeature(pass, head, h, cell), Arrays.copyOfRange(labels, anchor, anchor + head.anchorsPerCell));
                } else if (hardness > Float.NEGATIVE_INFINITY) {
                    negatives.add(new Cell(h, cell, anchor, hardness));
                }
            }
        }
        // hardest first; ties by position so the choice is deterministic
        negatives.sort((a, b) -> Float.compare(b.hardness(), a.hardness()));
        int hard = Math.min(settings.negativeCellsPerImage(), negatives.size());
        for (int i = 0; i < hard; i++) {
            Cell c = negatives.get(i);
            ClassHead head = heads.get(c.head());
            cache.add(c.head(), copyFeature(pass, head, c.head(), c.cell()),
                    Arrays.copyOfRange(labels, c.firstAnchor(), c.firstAnchor() + head.anchorsPerCell));
        }
        List<Cell> rest = negatives.subList(hard, negatives.size());
        for (int i = 0; i < settings.randomCellsPerImage() && !rest.isEmpty(); i++) {
            Cell c = rest.remove(random.nextInt(rest.size()));
            ClassHead head = heads.get(c.head());
            cache.add(c.head(), copyFeature(pass, head, c.head(), c.cell()),
                    Arrays.copyOfRange(labels, c.firstAnchor(), c.firstAnchor() + head.anchorsPerCell));
        }
    }

    private static float[] copyFeature(DetectorPass pass, ClassHead head, int h, int cell) {
        float[] f = new float[head.channels];
        pass.feature(h).get(cell * head.channels, f);
        return f;
    }

    /** Progress events and the ETA: per-image and per-epoch times measured as the run goes. */
    static final class Progress {
        private final TrainingListener listener;
        private final int trainImages;
        /** Images each model is evaluated on: where thresholds are chosen plus validation. */
        private final int judgedImages;
        private final int epochs;
        private long imageNanos;
        private int images;
        private long epochNanos;
        private int epochsDone;

        Progress(TrainingListener listener, int trainImages, int judgedImages, int epochs) {
            this.listener = listener;
            this.trainImages = trainImages;
            this.judgedImages = judgedImages;
            this.epochs = epochs;
        }

        private long last = System.nanoTime();
        private String phase = "";
        private int evaluated;

        void image(String p, int done, int total) {
            // time since the previous image, epoch or start: the first image of a phase counts too
            long now = System.nanoTime();
            phase = p;
            imageNanos += now - last;
            last = now;
            images++;
            if (p.equals(TrainingProgress.EVALUATING)) {
                evaluated++;
            }
            listener.progress(new TrainingProgress(p, epochsDone, epochs, Double.NaN, eta(), done, total));
        }

        /** Image times count from here (not from loading the model). */
        void restartClock() {
            last = System.nanoTime();
        }

        void epoch(int epoch, double loss, long nanos) {
            epochNanos += nanos;
            epochsDone = epoch;
            last = System.nanoTime();
            LOG.info("epoch {}/{}: loss {} (eta {} s)", epoch, epochs, String.format(java.util.Locale.ROOT, "%.4f", loss), eta() / 1000);
            listener.progress(new TrainingProgress(TrainingProgress.TRAINING, epoch, epochs, loss, eta(), epoch, epochs));
        }

        /** Remaining: feature images, epochs, then the judge's passes (2 x (threshold + validation images)). */
        long eta() {
            if (images == 0) {
                return -1;
            }
            double perImage = imageNanos / (double) images;
            int featuresLeft = phase.equals(TrainingProgress.FEATURES) ? trainImages - images : 0;
            double perEpoch = epochsDone > 0 ? epochNanos / (double) epochsDone : perImage * trainImages / 4.0;
            int evalLeft = 2 * judgedImages - evaluated;
            double left = featuresLeft * perImage + (epochs - epochsDone) * perEpoch + evalLeft * perImage;
            return (long) (left / 1e6);
        }
    }
}

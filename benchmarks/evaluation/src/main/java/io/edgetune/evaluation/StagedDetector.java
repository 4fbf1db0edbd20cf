package io.edgetune.evaluation;

import io.edgetune.api.detect.Detection;
import io.edgetune.api.frame.Frame;
import io.edgetune.api.motion.Region;
import io.edgetune.inference.engine.DetectorSettings;
import io.edgetune.inference.engine.EngineException;
import io.edgetune.inference.engine.InferenceEngine;
import io.edgetune.inference.engine.LoadedModel;
import io.edgetune.inference.regions.Mosaic;
import io.edgetune.inference.regions.RegionPacker;
import io.edgetune.inference.ssd.InputPreparer;
import io.edgetune.inference.ssd.SsdAnchors;
import io.edgetune.inference.ssd.SsdDecoder;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * The detector's steps of {@link LoadedModel#detect} (input preparation, interpreter, SSD decoding + NMS), run
 * on the model's own engine with the inference bundle's exported SSD classes, each step timed on its own.
 * The test checks it returns exactly what {@code LoadedModel.detect} returns.
 */
final class StagedDetector implements AutoCloseable {

    /** Time of each step for one frame, all crops together: wall clock, and CPU of the calling thread. */
    static final class Timing {
        long prepareNanos;
        long inferenceNanos;
        long postNanos;
        long prepareCpuNanos;
        long postCpuNanos;

        void clear() {
            prepareNanos = 0;
            inferenceNanos = 0;
            postNanos = 0;
            prepareCpuNanos = 0;
            postCpuNanos = 0;
        }
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final LoadedModel model;
    private final InferenceEngine engine;
    private final InputPreparer preparer;
    private final SsdDecoder decoder;
    private final DetectorSettings settings;
    private final float[] classThresholds;
    private final List<Region> crops = new ArrayList<>();
    private final RegionPacker packer;
    private final Mosaic mosaic;
    private int lastPasses;
    private boolean lastWhole;

    StagedDetector(LoadedModel model, DetectorSettings settings) {
        this(model, settings, RegionPacker.DEFAULT);
    }

    StagedDetector(LoadedModel model, DetectorSettings settings, RegionPacker packer) {
        this.model = model;
        this.packer = packer;
        this.mosaic = new Mosaic(model.engine().inputWidth(), model.engine().inputHeight());
        this.engine = model.engine();
        this.settings = settings;
        this.preparer = new InputPreparer(engine.input(), engine.inputWidth(), engine.inputHeight());
        SsdAnchors anchors = SsdAnchors.fromScheme(model.descriptor().anchors(), Math.max(engine.inputWidth(), engine.inputHeight()));
        this.decoder = new SsdDecoder(anchors, LoadedModel.DEFAULT_BOX_SCALES);
        // the model's per-class thresholds (manifest) or the configured one, exactly as LoadedModel resolves them
        this.classThresholds = new float[engine.classCount()];
        for (int c = 0; c < classThresholds.length; c++) {
            classThresholds[c] = model.scoreThreshold(c, settings);
        }
    }

    LoadedModel model() {
        return model;
    }

    /**
     * Full frame when {@code regions} is empty, else the region mode's passes (crops grown to the input's aspect
     * ratio, packed by {@code packer} exactly as {@link LoadedModel#detect} packs them).
     */
    List<Detection> detect(Frame frame, List<Region> regions, Timing timing) throws EngineException {
        List<RegionPacker.Pass> plan = model.plan(frame, regions, settings, packer);
        crops.clear();
        for (RegionPacker.Pass p : plan) {
            for (RegionPacker.Tile t : p.tiles()) {
                crops.add(t.source());
            }
        }
        lastPasses = plan.size();
        lastWhole = plan.size() == 1 && plan.get(0).wholeFrame();
        decoder.reset();
        int cropIndex = 0;
        for (RegionPacker.Pass p : plan) {
            long ca = THREADS.getCurrentThreadCpuTime();
            long a = System.nanoTime();
            mosaic.prepare(frame, p, preparer);
            long b = System.nanoTime();
            long cb = THREADS.getCurrentThreadCpuTime();
            engine.invoke();
            long cc = THREADS.getCurrentThreadCpuTime();
            long c = System.nanoTime();
            cropIndex = mosaic.decode(p, decoder, engine.boxEncodings(), engine.classLogits(), engine.classCount(),
                    settings.scoreThreshold(), classThresholds, null, cropIndex);
            long d = System.nanoTime();
            long cd = THREADS.getCurrentThreadCpuTime();
            timing.prepareNanos += b - a;
            timing.inferenceNanos += c - b;
            timing.postNanos += d - c;
            timing.prepareCpuNanos += cb - ca;
            timing.postCpuNanos += cd - cc;
        }
        long cs = THREADS.getCurrentThreadCpuTime();
        long s = System.nanoTime();
        List<Detection> found = decoder.suppress(settings.nmsIou(), settings.maxDetections(), model.labels());
        timing.postNanos += System.nanoTime() - s;
        timing.postCpuNanos += THREADS.getCurrentThreadCpuTime() - cs;
        return found;
    }

    /** Detector passes of the last {@link #detect} call. */
    int lastPasses() {
        return lastPasses;
    }

    /** Whether the last {@link #detect} call ran the full frame (no crops, or region mode fell back to it). */
    boolean lastFullFrame() {
        return lastWhole;
    }

    /** The crops of the last {@link #detect} call, as run. */
    List<Region> lastCrops() {
        return List.copyOf(crops);
    }

    @Override
    public void close() {
        mosaic.close();
        preparer.close();
    }
}

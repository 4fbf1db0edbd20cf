package io.edgetune.inference.engine;

import io.edgetune.api.detect.Detection;
import io.edgetune.api.detect.DetectionException;
import io.edgetune.api.detect.Detections;
import io.edgetune.api.detect.DetectorService;
import io.edgetune.api.detect.DetectorStatus;
import io.edgetune.api.frame.Frame;
import io.edgetune.api.model.ModelDescriptor;
import io.edgetune.api.motion.Region;
import io.edgetune.inference.internal.Engines;
import io.edgetune.inference.ssd.InputPreparer;
import io.edgetune.inference.ssd.SsdAnchors;
import io.edgetune.inference.ssd.SsdDecoder;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One model version ready to run: engine, input preparation and SSD decoding.
 * Not thread safe; the detector runs one request at a time on it.
 */
public final class LoadedModel implements AutoCloseable {

    /** y, x, h, w scale factors of the TF OD API box coder used by SSD MobileNet. */
    public static final float[] DEFAULT_BOX_SCALES = {10f, 10f, 5f, 5f};

    /** Manifest metrics "threshold.{label}" override the configured score threshold for that class. */
    public static final String THRESHOLD_PREFIX = "threshold.";

    private final ModelDescriptor descriptor;
    private final InferenceEngine engine;
    private final InputPreparer preparer;
    private final SsdDecoder decoder;
    private final List<String> labels;
    /** Per class id, the score threshold the model's manifest sets for it ("threshold.{label}"), NaN if none. */
    private final float[] classThresholds;
    private Set<String> allowedFor;
    private boolean[] allowed;

    private LoadedModel(ModelDescriptor descriptor, InferenceEngine engine) {
        this.descriptor = descriptor;
        this.engine = engine;
        this.labels = descriptor.labels();
        SsdAnchors anchors = SsdAnchors.fromScheme(descriptor.anchors(), Math.max(engine.inputWidth(), engine.inputHeight()));
        // a model ending in TFLite_Detection_PostProcess decodes its anchors itself
        if (!engine.postProcessed() && anchors.count() != engine.anchorCount()) {
            throw new IllegalArgumentException("anchor scheme '" + descriptor.anchors() + "' gives " + anchors.count()
                    + " anchors but the model outputs " + engine.anchorCount());
        }
        if (engine.classCount() > labels.size()) {
            throw new IllegalArgumentException("model outputs " + engine.classCount() + " classes but the manifest lists "
                    + labels.size() + " labels");
        }
        this.decoder = new SsdDecoder(anchors, DEFAULT_BOX_SCALES);
        this.classThresholds = classThresholds(descriptor);
        this.preparer = preparer(engine);
    }

    /** The input preparation that fills this engine's input tensor, float or quantized. */
    public static InputPreparer preparer(InferenceEngine engine) {
        TensorFormat f = engine.inputFormat();
        if (!f.quantized()) {
            return new InputPreparer(engine.input(), engine.inputWidth(), engine.inputHeight());
        }
        return InputPreparer.quantized(engine.inputBytes(), engine.inputWidth(), engine.inputHeight(),
                f.type() == TensorFormat.Type.INT8, f.scale(), f.zeroPoint());
    }

    /** Loads, checks the manifest against the model's tensors, and smoke-tests. Closes everything on failure. */
    public static LoadedModel load(ModelDescriptor descriptor, Path cpuModel, Path edgeTpuModel, String backend,
                                   EngineOptions options) throws EngineException {
        return load(descriptor, cpuModel, null, edgeTpuModel, backend, options);
    }

    /**
     * As {@link #load(ModelDescriptor, Path, Path, String, EngineOptions)} for a package with an int8 build too:
     * the engine runs the Edge TPU build when the delegate loads and finds a device, else the int8 build on CPU,
     * else the float model ({@link InferenceEngine#build()} says which).
     */
    public static LoadedModel load(ModelDescriptor descriptor, Path cpuModel, Path int8Model, Path edgeTpuModel, String backend,
                                   EngineOptions options) throws EngineException {
        InferenceEngine engine = Engines.create(backend, cpuModel, int8Model, edgeTpuModel, options);
        LoadedModel m = null;
        try {
            if (descriptor.inputWidth() > 0 && (engine.inputWidth() != descriptor.inputWidth() || engine.inputHeight() != descriptor.inputHeight())) {
                throw new EngineException("manifest says input " + descriptor.inputWidth() + "x" + descriptor.inputHeight()
                        + " but the model takes " + engine.inputWidth() + "x" + engine.inputHeight());
            }
            m = new LoadedModel(descriptor, engine);
            m.smokeTest();
            return m;
        } catch (EngineException | RuntimeException e) {
            if (m != null) {
                m.close();
            } else {
                engine.close();
            }
            if (e instanceof EngineException ee) {
                throw ee;
            }
            throw new EngineException("model " + descriptor.version() + " rejected: " + e.getMessage(), e);
        }
    }

    /** Runs once on a mid-grey input; every output must be finite. */
    public void smokeTest() throws EngineException {
        int n = engine.inputWidth() * engine.inputHeight() * 3;
        TensorFormat f = engine.inputFormat();
        if (f.quantized()) {
            ByteBuffer in = engine.inputBytes();
            byte grey = (byte) f.quantize(0f);
            for (int i = 0; i < n; i++) {
                in.put(i, grey);
            }
        } else {
            FloatBuffer in = engine.input();
            for (int i = 0; i < n; i++) {
                in.put(i, 0f);
            }
        }
        engine.invoke();
        if (engine.postProcessed()) {
            int count = engine.detectionCount();
            checkFinite(engine.detectionBoxes(), count * 4, "detection boxes");
            checkFinite(engine.detectionScores(), count, "detection scores");
            checkFinite(engine.detectionClasses(), count, "detection classes");
            return;
        }
        checkFinite(engine.boxEncodings(), engine.anchorCount() * 4, "box encodings");
        checkFinite(engine.classLogits(), engine.anchorCount() * engine.classCount(), "class predictions");
    }

    private void checkFinite(FloatBuffer b, int n, String what) throws EngineException {
        for (int i = 0; i < n; i++) {
            if (!Float.isFinite(b.get(i))) {
                throw new EngineException("smoke test of model " + descriptor.version() + " failed: " + what + "[" + i + "] = " + b.get(i));
            }
        }
    }

    /** Detects on the given regions (the whole frame in full-frame mode or when there are none). */
    public Detections detect(Frame frame, List<Region> regions, DetectorSettings s) throws EngineException {
        long start = System.nanoTime();
        long inference = 0;
        boolean full = s.mode() == Detections.Mode.FULL_FRAME || regions == null || regions.isEmpty();
        List<Region> crops;
        if (full) {
            crops = List.of(new Region(0, 0, frame.width(), frame.height()));
        } else {
            // report the crops as run: grown to the input's aspect ratio
            crops = new ArrayList<>(regions.size());
            for (Region r : regions) {
                crops.add(fitToInputAspect(r, frame.width(), frame.height()));
            }
        }
        boolean[] allow = allowedClasses(s.allowedLabels());
        decoder.reset();
        for (int i = 0; i < crops.size(); i++) {
            Region r = crops.get(i);
            preparer.prepare(frame, r.x(), r.y(), r.width(), r.height());
            long t = System.nanoTime();
            engine.invoke();
            inference += System.nanoTime() - t;
            if (engine.postProcessed()) {
                addPostProcessed(s, allow, r.x(), r.y(), r.width(), r.height(), i);
            } else {
                decoder.decode(engine.boxEncodings(), engine.classLogits(), engine.classCount(), s.scoreThreshold(), classThresholds,
                        allow, r.x(), r.y(), r.width(), r.height(), i);
            }
        }
        List<Detection> found = decoder.suppress(s.nmsIou(), s.maxDetections(), labels);
        return new Detections(frame.cameraId(), frame.sequence(), frame.timestampMillis(), frame.captureNanos(),
                descriptor.version(), engine.backend(), full ? Detections.Mode.FULL_FRAME : Detections.Mode.REGIONS,
                crops, found, inference, System.nanoTime() - start, engine.build(), engine.buildReason());
    }

    /**
     * The detections of a model's own TFLite_Detection_PostProcess on one crop, into frame coordinates. Its
     * class ids have no background class, so id k is label k + 1 (labels keep "???" at 0 for every model).
     */
    private void addPostProcessed(DetectorSettings s, boolean[] allow, float ox, float oy, float ow, float oh, int cropIndex) {
        FloatBuffer boxes = engine.detectionBoxes();
        FloatBuffer classes = engine.detectionClasses();
        FloatBuffer scores = engine.detectionScores();
        for (int d = 0, n = engine.detectionCount(); d < n; d++) {
            int c = Math.round(classes.get(d)) + 1;
            float score = scores.get(d);
            if (c < 1 || score < scoreThreshold(c, s) || (allow != null && (c >= allow.length || !allow[c]))) {
                continue;
            }
            int b = d * 4;
            decoder.add(ox + clamp01(boxes.get(b + 1)) * ow, oy + clamp01(boxes.get(b)) * oh,
                    ox + clamp01(boxes.get(b + 3)) * ow, oy + clamp01(boxes.get(b + 2)) * oh, score, c, cropIndex);
        }
    }

    private static float clamp01(float v) {
        return v < 0 ? 0 : (v > 1 ? 1 : v);
    }

    /**
     * This model behind the public {@link DetectorService} at fixed settings, for code that drives a detector
     * without the OSGi runtime (the evaluation harness, tests of the annotator's teacher). It has no status.
     */
    public DetectorService asService(DetectorSettings settings) {
        return new DetectorService() {
            @Override
            public synchronized Detections detect(Frame frame, List<Region> regions) throws DetectionException {
                try {
                    return LoadedModel.this.detect(frame, regions, settings);
                } catch (EngineException e) {
                    throw new DetectionException(e.getMessage(), e);
                }
            }

            @Override
            public DetectorStatus status() {
                throw new UnsupportedOperationException("a model outside the runtime has no detector status");
            }
        };
    }

    /**
     * Grows a crop (around its centre, inside the frame) to the input's aspect
     * ratio, so people are not squashed when the crop is stretched to the input.
     */
    public Region fitToInputAspect(Region r, int frameWidth, int frameHeight) {
        double aspect = engine.inputWidth() / (double) engine.inputHeight();
        int w = Math.max(1, r.width());
        int h = Math.max(1, r.height());
        if (w < h * aspect) {
            w = (int) Math.round(h * aspect);
        } else {
            h = (int) Math.round(w / aspect);
        }
        w = Math.min(w, frameWidth);
        h = Math.min(h, frameHeight);
        int x = r.x() + r.width() / 2 - w / 2;
        int y = r.y() + r.height() / 2 - h / 2;
        x = Math.max(0, Math.min(x, frameWidth - w));
        y = Math.max(0, Math.min(y, frameHeight - h));
        return new Region(x, y, w, h);
    }

    /**
     * Score thresholds chosen per class when the model was trained (manifest metrics "threshold.{label}");
     * null when there are none. Values outside [0,1] are a broken manifest and rejected.
     */
    static float[] classThresholds(ModelDescriptor d) {
        if (d.metrics() == null || d.metrics().isEmpty()) {
            return null;
        }
        float[] t = new float[d.labels().size()];
        java.util.Arrays.fill(t, Float.NaN);
        boolean any = false;
        for (int c = 1; c < t.length; c++) {
            Double v = d.metrics().get(THRESHOLD_PREFIX + d.labels().get(c));
            if (v == null) {
                continue;
            }
            if (!(v >= 0 && v <= 1)) {
                throw new IllegalArgumentException("manifest metric " + THRESHOLD_PREFIX + d.labels().get(c) + " = " + v
                        + " is not a score threshold in [0,1]");
            }
            t[c] = v.floatValue();
            any = true;
        }
        return any ? t : null;
    }

    /** The score threshold this model uses for a class id: its own from the manifest, else the configured one. */
    public float scoreThreshold(int classId, DetectorSettings s) {
        return classThresholds != null && classId < classThresholds.length && !Float.isNaN(classThresholds[classId])
                ? classThresholds[classId] : s.scoreThreshold();
    }

    private boolean[] allowedClasses(Set<String> names) {
        if (names == null || names.isEmpty()) {
            return null;
        }
        if (names != allowedFor) {
            boolean[] a = new boolean[labels.size()];
            for (int i = 1; i < labels.size(); i++) {
                a[i] = names.contains(labels.get(i));
            }
            allowed = a;
            allowedFor = names;
        }
        return allowed;
    }

    public ModelDescriptor descriptor() {
        return descriptor;
    }

    public InferenceEngine engine() {
        return engine;
    }

    public List<String> labels() {
        return labels;
    }

    @Override
    public void close() {
        preparer.close();
        engine.close();
    }
}

package io.edgetune.inference.internal;

import io.edgetune.api.config.ConfigValues;
import io.edgetune.inference.engine.DetectorSettings;
import io.edgetune.inference.engine.EngineOptions;
import io.edgetune.api.data.DataDirectories;
import io.edgetune.api.detect.DetectionException;
import io.edgetune.api.detect.DetectionListener;
import io.edgetune.api.detect.Detections;
import io.edgetune.api.detect.DetectorService;
import io.edgetune.api.detect.DetectorStatus;
import io.edgetune.api.frame.Frame;
import io.edgetune.api.model.ModelDescriptor;
import io.edgetune.api.model.ModelException;
import io.edgetune.api.model.ModelRegistry;
import io.edgetune.api.motion.MotionListener;
import io.edgetune.api.motion.MotionResult;
import io.edgetune.api.motion.Region;
import io.edgetune.api.detect.Detection;
import io.edgetune.inference.regions.RegionPacker;
import io.edgetune.inference.regions.StationaryCrops;
import io.edgetune.inference.regions.StillObjects;
import io.edgetune.api.track.TrackedFrame;
import io.edgetune.api.track.TrackerService;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import io.edgetune.modelpackage.PackageVerifier;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.kura.KuraException;
import org.eclipse.kura.ai.inference.InferenceEngineService;
import org.eclipse.kura.ai.inference.ModelInfo;
import org.eclipse.kura.ai.inference.Tensor;
import org.eclipse.kura.configuration.ConfigurableComponent;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline's inference stage: takes motion results that need inference
 * (retaining their frames), queues them fairly per camera, detects on a worker
 * thread, hands the detections to whiteboard {@link DetectionListener}s and
 * releases the frames. Also the synchronous {@link DetectorService} and the
 * {@link ModelRegistry}.
 */
@Component(name = DetectorComponent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
        service = {DetectorService.class, MotionListener.class, ModelRegistry.class, InferenceEngineService.class, ConfigurableComponent.class})
@Designate(ocd = DetectorConfig.class)
public final class DetectorComponent implements DetectorService, MotionListener, ModelRegistry, InferenceEngineService,
        ConfigurableComponent {

    public static final String PID = "io.edgetune.inference.Detector";
    private static final Logger LOG = LoggerFactory.getLogger(DetectorComponent.class);
    private static final long JOIN_MILLIS = 5_000;

    private record Request(Frame frame, List<Region> regions) {
    }

    private final List<DetectionListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong notReadyDrops = new AtomicLong();
    private final Object intake = new Object();
    /** Per camera: region mode's memory of objects that do not move (only the worker thread touches each). */
    private final Map<String, StillObjects> stills = new ConcurrentHashMap<>();
    private final AtomicLong failures = new AtomicLong();
    /** Region-mode frames that ran no inference because their crops held only stationary tracks (not drops: handled). */
    private final AtomicLong skippedStationary = new AtomicLong();
    private volatile TrackerService tracker;
    private volatile SharedDetector detector;
    private volatile FileModelRegistry registry;
    private volatile FairQueue<Request> queue;
    private volatile boolean running;
    private volatile DetectorConfig config;
    private volatile KuraInferenceAdapter kura;
    private Thread worker;
    private Thread loader;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addDetectionListener(DetectionListener l) {
        listeners.add(l);
    }

    void removeDetectionListener(DetectionListener l) {
        listeners.remove(l);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void setTracker(TrackerService t) {
        tracker = t;
    }

    void unsetTracker(TrackerService t) {
        if (tracker == t) {
            tracker = null;
        }
    }

    @Activate
    void activate(DetectorConfig c) {
        // checked before anything is built: a rejected configuration starts no thread
        EngineOptions options = engineOptions(c);
        DetectorSettings settings = settings(c);
        int depth = queueDepth(c);
        int maxModels = maxModels(c);
        cameraModels(c);
        RegionPacker packer = packer(c);
        config = c;
        detector = new SharedDetector(c.backend(), options, settings);
        detector.maxModels(maxModels);
        detector.setPacker(packer);
        queue = new FairQueue<>(depth, r -> r.frame().release());
        kura = new KuraInferenceAdapter(detector, () -> registry);
        running = true;
        worker = new Thread(this::work, "edgetune-detector");
        worker.setDaemon(true);
        worker.start();
        startLoader(c, true);
    }

    @Modified
    void modified(DetectorConfig c) {
        // a rejected change throws before anything is applied: the detector keeps running as it was
        EngineOptions options = engineOptions(c);
        RegionPacker packer = packer(c);
        DetectorSettings settings = settings(c);
        int depth = queueDepth(c);
        int maxModels = maxModels(c);
        Map<String, String> pins = cameraModels(c);
        DetectorConfig before = config;
        config = c;
        queue.setDepth(depth);
        detector.maxModels(maxModels);
        boolean engineChanged = !before.backend().equals(c.backend()) || before.threads() != c.threads()
                || before.use_edgetpu() != c.use_edgetpu() || !before.edgetpu_library().equals(c.edgetpu_library());
        boolean registryChanged = !before.model_dir().equals(c.model_dir()) || !before.trusted_public_key().equals(c.trusted_public_key())
                || !before.assets_dir().equals(c.assets_dir());
        detector.configure(c.backend(), options, settings);
        detector.setPacker(packer);
        // the next inference of every camera starts its still-object memory afresh with the new settings
        stills.clear();
        if (engineChanged || registryChanged) {
            startLoader(c, registryChanged);
        } else if (!pins.equals(cameraModels(before))) {
            applyPins(c);
        }
    }

    @Deactivate
    void deactivate() {
        synchronized (intake) {
            running = false;
        }
        join(loader);
        join(worker);
        queue.drain(r -> r.frame().release());
        detector.close();
    }

    private static void join(Thread t) {
        if (t == null) {
            return;
        }
        t.interrupt();
        try {
            t.join(JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
            LOG.warn("thread {} did not stop within {} ms", t.getName(), JOIN_MILLIS);
        }
    }

    /** Opens the registry and loads the active model off the framework thread. */
    private void startLoader(DetectorConfig c, boolean reopenRegistry) {
        inLoader(() -> {
            try {
                if (reopenRegistry || registry == null) {
                    FileModelRegistry r = new FileModelRegistry(modelDir(c), new PackageVerifier(c.trusted_public_key()), detector);
                    seed(r, c);
                    registry = r;
                }
                Optional<ModelDescriptor> d = registry.activateAtStartup();
                if (d.isEmpty() && registry.active().isEmpty()) {
                    LOG.error("no usable model in {}; the detector stays idle until one is installed", registry.root());
                }
                // cameras the detector still serves from a registry it no longer reads run the default
                Map<String, String> own = registry.cameraModels();
                for (String camera : detector.cameraModels().keySet()) {
                    if (!own.containsKey(camera)) {
                        detector.release(camera);
                    }
                }
                registry.applyConfigured(cameraModels(c));
            } catch (IOException | IllegalArgumentException e) {
                LOG.error("detector cannot start: {}", e.getMessage());
            }
        });
    }

    /** Applies changed configured pins off the framework thread (a pin loads a model). */
    private void applyPins(DetectorConfig c) {
        inLoader(() -> {
            FileModelRegistry r = registry;
            if (r != null) {
                r.applyConfigured(cameraModels(c));
            }
        });
    }

    /** Runs model work on a new loader thread that first waits for the previous one, so loads apply in order. */
    private synchronized void inLoader(Runnable work) {
        Thread previous = loader;
        loader = new Thread(() -> {
            if (previous != null) {
                try {
                    previous.join();
                } catch (InterruptedException e) {
                    return;
                }
            }
            work.run();
        }, "edgetune-model-loader");
        loader.setDaemon(true);
        loader.start();
    }

    static int maxModels(DetectorConfig c) {
        return ConfigValues.range("max.models", c.max_models(), 1, 16);
    }

    /** camera.models entries "camera=version" (or camera=default), checked: one entry per camera, plain names. */
    static Map<String, String> cameraModels(DetectorConfig c) {
        Map<String, String> out = new LinkedHashMap<>();
        String[] entries = c.camera_models() == null ? new String[0] : c.camera_models();
        for (String e : Arrays.stream(entries).flatMap(x -> Arrays.stream(x.split(","))).toList()) {
            if (e.isBlank()) {
                continue;
            }
            int eq = e.indexOf('=');
            String camera = eq < 0 ? "" : e.substring(0, eq).trim();
            String version = eq < 0 ? "" : e.substring(eq + 1).trim();
            if (camera.isEmpty() || version.isEmpty() || !version.matches("[A-Za-z0-9._-]{1,64}")
                    || camera.length() > 128 || camera.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)) {
                throw new IllegalArgumentException("camera.models entry '" + e.trim() + "' is not camera=version (or camera=default)");
            }
            if (out.put(camera, version) != null) {
                throw new IllegalArgumentException("camera.models names camera " + camera + " twice");
            }
        }
        return out;
    }

    static Path modelDir(DetectorConfig c) {
        if (!c.model_dir().isBlank()) {
            return Paths.get(c.model_dir().trim());
        }
        return DataDirectories.resolve(DetectorComponent::property, DataDirectories.MODELS);
    }

    /** A framework property (framework configuration, then system properties); system properties outside OSGi. */
    static String property(String key) {
        org.osgi.framework.Bundle b = org.osgi.framework.FrameworkUtil.getBundle(DetectorComponent.class);
        org.osgi.framework.BundleContext ctx = b == null ? null : b.getBundleContext();
        return ctx != null ? ctx.getProperty(key) : System.getProperty(key);
    }

    /**
     * Seeds an empty registry with the base model: from the assets directory when
     * one is configured (assets.dir or the edgetune.assets property), else from the
     * base model bundle when one is installed (a fresh gateway), else from the
     * default assets cache.
     */
    static void seed(FileModelRegistry r, DetectorConfig c) throws IOException {
        String property = System.getProperty("edgetune.assets");
        boolean configured = !c.assets_dir().isBlank() || (property != null && !property.isBlank());
        if (!configured) {
            org.osgi.framework.Bundle self = org.osgi.framework.FrameworkUtil.getBundle(DetectorComponent.class);
            Optional<BaseModelBundle.Source> bundled = BaseModelBundle.find(self == null ? null : self.getBundleContext());
            if (bundled.isPresent()) {
                BaseModelBundle.Source s = bundled.get();
                r.seedIfEmpty(s.model(), s.labels(), s.origin());
                return;
            }
        }
        r.seedIfEmpty(assetsDir(c));
    }

    static Path assetsDir(DetectorConfig c) {
        if (!c.assets_dir().isBlank()) {
            return Paths.get(c.assets_dir().trim());
        }
        String p = System.getProperty("edgetune.assets");
        return p != null && !p.isBlank() ? Paths.get(p) : Paths.get(System.getProperty("user.home"), ".cache", "edgetune");
    }

    static EngineOptions engineOptions(DetectorConfig c) {
        return new EngineOptions(ConfigValues.range("threads", c.threads(), 1, 16), c.use_edgetpu(), c.edgetpu_library());
    }

    static RegionPacker packer(DetectorConfig c) {
        ConfigValues.range("regions.fullframe.every", c.regions_fullframe_every(), 0, 1000);
        return new RegionPacker(ConfigValues.range("regions.passes.max", c.regions_passes_max(), 1, 8), c.regions_mosaic());
    }

    static int queueDepth(DetectorConfig c) {
        return ConfigValues.range("queue.depth", c.queue_depth(), 1, 8);
    }

    /** The detection parameters, each checked against the range its attribute declares. */
    static DetectorSettings settings(DetectorConfig c) {
        Detections.Mode mode = ConfigValues.oneOf("mode", c.mode(), "regions", "full_frame").equals("full_frame")
                ? Detections.Mode.FULL_FRAME : Detections.Mode.REGIONS;
        ConfigValues.range("score.threshold", c.score_threshold(), 0, 1);
        ConfigValues.range("nms.iou", c.nms_iou(), 0, 1);
        ConfigValues.atLeast("max.detections", c.max_detections(), 1);
        Set<String> allow = new LinkedHashSet<>(ConfigValues.list(c.class_allowlist()));
        return new DetectorSettings(mode, c.score_threshold(), c.nms_iou(), c.max_detections(), Set.copyOf(allow));
    }

    @Override
    public void onMotion(MotionResult result) {
        if (!result.needsInference()) {
            return;
        }
        // under the intake lock so that no frame slips into the queue after deactivate drained it
        synchronized (intake) {
            if (!running) {
                return;
            }
            Frame f = result.frame();
            f.retain();
            // a full-frame result is run on the whole frame: empty regions mean exactly that
            queue.offer(f.cameraId(), new Request(f, result.fullFrame() ? List.of() : result.regions()));
        }
    }

    private void work() {
        while (running) {
            Request r;
            try {
                r = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                if (!running) {
                    return;
                }
                continue;
            }
            if (r == null) {
                continue;
            }
            try {
                if (!detector.ready()) {
                    notReadyDrops.incrementAndGet();
                    continue;
                }
                Detections d = detectRegionMode(r);
                if (d == null) {
                    continue; // skipped: stationary (counted); the frame is released below
                }
                for (DetectionListener l : listeners) {
                    try {
                        l.onDetections(d, r.frame());
                    } catch (RuntimeException e) {
                        LOG.warn("detection listener {} failed: {}", l.getClass().getName(), e.toString());
                    }
                }
            } catch (DetectionException e) {
                if (failures.getAndIncrement() % 100 == 0) {
                    LOG.warn("{} (failures so far: {})", e.getMessage(), failures.get());
                }
            } finally {
                r.frame().release();
            }
        }
    }

    /**
     * One camera's request: in region mode every regions.fullframe.every-th inference of the camera runs on the
     * full frame, and what it found outside motion is added to the crop passes until the next one.
     */
    private Detections detectRegionMode(Request r) throws DetectionException {
        if (detector.settings().mode() != Detections.Mode.REGIONS) {
            return detector.detect(r.frame(), r.regions());
        }
        Frame f = r.frame();
        StillObjects still = stills.computeIfAbsent(f.cameraId(), k -> new StillObjects(config.regions_fullframe_every()));
        List<Region> run = still.regionsToRun(r.regions());
        TrackerService t = tracker;
        // only between refresh passes: without them (fullframe.every 0) a stationary object would never be looked at again
        if (!run.isEmpty() && t != null && config.regions_skip_stationary() && config.regions_fullframe_every() > 0) {
            TrackedFrame tf = t.current(f.cameraId());
            run = StationaryCrops.keep(run, tf == null ? null : tf.tracks());
            if (run.isEmpty()) {
                still.skipped();
                long n = skippedStationary.incrementAndGet();
                if (n % 100 == 1) {
                    LOG.info("camera {}: frame {} skipped: stationary (its motion crops hold only stationary tracks; {} so far)",
                            f.cameraId(), f.sequence(), n);
                }
                return null;
            }
        }
        Detections d = detector.detect(f, run);
        List<Detection> reported = still.update(f.width(), f.height(), r.regions(), d.mode() == Detections.Mode.FULL_FRAME,
                d.regions(), d.detections());
        if (reported == d.detections()) {
            return d;
        }
        return new Detections(d.cameraId(), d.frameSequence(), d.frameTimestampMillis(), d.captureNanos(), d.modelVersion(),
                d.backend(), d.mode(), d.regions(), reported, d.inferenceNanos(), d.totalNanos());
    }

    // ---- DetectorService

    @Override
    public Detections detect(Frame frame, List<Region> regions) throws DetectionException {
        SharedDetector d = detector;
        if (d == null) {
            throw new DetectionException("detector not active");
        }
        return d.detect(frame, regions);
    }

    @Override
    public DetectorStatus status() {
        FairQueue<Request> q = queue;
        // a frame that failed detection is a frame dropped: counted with the others
        return detector.status(q.size(), q.dropped() + notReadyDrops.get() + failures.get());
    }

    /** Region-mode frames that ran no inference because their motion crops held only stationary tracks. */
    long skippedStationary() {
        return skippedStationary.get();
    }

    // ---- ModelRegistry

    private FileModelRegistry registry() throws ModelException {
        FileModelRegistry r = registry;
        if (r == null) {
            throw new ModelException("model registry not open yet");
        }
        return r;
    }

    @Override
    public List<ModelDescriptor> list() {
        FileModelRegistry r = registry;
        return r == null ? List.of() : r.list();
    }

    @Override
    public Optional<ModelDescriptor> active() {
        FileModelRegistry r = registry;
        return r == null ? Optional.empty() : r.active();
    }

    @Override
    public ModelDescriptor install(Path modelPackage) throws ModelException {
        return registry().install(modelPackage);
    }

    @Override
    public ModelDescriptor activate(String version) throws ModelException {
        return registry().activate(version);
    }

    @Override
    public ModelDescriptor rollback() throws ModelException {
        return registry().rollback();
    }

    @Override
    public Optional<ModelDescriptor> active(String cameraId) {
        FileModelRegistry r = registry;
        return r == null ? Optional.empty() : r.active(cameraId);
    }

    @Override
    public Map<String, String> cameraModels() {
        FileModelRegistry r = registry;
        return r == null ? Map.of() : r.cameraModels();
    }

    @Override
    public ModelDescriptor activate(String cameraId, String version) throws ModelException {
        return registry().activate(cameraId, version);
    }

    @Override
    public ModelDescriptor rollback(String cameraId) throws ModelException {
        return registry().rollback(cameraId);
    }

    // ---- Kura's InferenceEngineService (raw tensors on the same shared engine)

    @Override
    public List<Tensor> infer(ModelInfo modelInfo, List<Tensor> inputData) throws KuraException {
        return kura.infer(modelInfo, inputData);
    }

    @Override
    public void loadModel(String modelName, Optional<String> modelPath) throws KuraException {
        kura.loadModel(modelName, modelPath);
    }

    @Override
    public void unloadModel(String modelName) throws KuraException {
        kura.unloadModel(modelName);
    }

    @Override
    public boolean isModelLoaded(String modelName) throws KuraException {
        return kura.isModelLoaded(modelName);
    }

    @Override
    public List<String> getModelNames() throws KuraException {
        return kura.getModelNames();
    }

    @Override
    public Optional<ModelInfo> getModelInfo(String modelName) throws KuraException {
        return kura.getModelInfo(modelName);
    }

    @Override
    public boolean isEngineReady() {
        return kura.isEngineReady();
    }

    /** For tests and the console: the engine behind this component. */
    SharedDetector detector() {
        return detector;
    }
}

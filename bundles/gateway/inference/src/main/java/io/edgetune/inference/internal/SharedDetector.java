package io.edgetune.inference.internal;

import io.edgetune.inference.engine.LoadedModel;
import io.edgetune.inference.engine.DetectorSettings;
import io.edgetune.inference.engine.EngineOptions;
import io.edgetune.inference.engine.EngineException;
import io.edgetune.inference.engine.InferenceEngine;
import io.edgetune.inference.regions.RegionPacker;
import io.edgetune.api.detect.DetectionException;
import io.edgetune.api.detect.Detections;
import io.edgetune.api.detect.DetectorStatus;
import io.edgetune.api.frame.Frame;
import io.edgetune.api.model.ModelDescriptor;
import io.edgetune.api.model.ModelException;
import io.edgetune.api.motion.Region;
import io.edgetune.modelpackage.PackageLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one engine all cameras share. Inference runs under a lock (an
 * interpreter is single-threaded, and there is one Edge TPU); a model swap
 * loads and smoke-tests the new model without the lock, then replaces the
 * reference under it, so the swap falls between two inferences and no
 * request sees a half-loaded model or fails because of it.
 *
 * <p>Per camera: a camera with a model of its own is served with it, every
 * other camera with the default. A version in use by several (the default
 * and cameras, built with the same engine settings) is loaded once. At most
 * {@link #maxModels()} distinct versions are assigned at a time (an
 * assignment that would need more is refused, the camera keeps its model);
 * while a swap loads, its new model is held beside the old one.
 */
public final class SharedDetector implements ModelHost, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SharedDetector.class);

    private final ReentrantLock lock = new ReentrantLock(true);
    /** A loaded model and how many assignments (the default, cameras) use it; guarded by the lock. */
    private static final class Slot {
        final LoadedModel model;
        final String key;
        final long bytes;
        int users;

        Slot(LoadedModel model, String key, long bytes) {
            this.model = model;
            this.key = key;
            this.bytes = bytes;
        }
    }

    public static final int DEFAULT_MAX_MODELS = 4;

    /** The default model (mirrors defaultSlot for lock-free readers). */
    private volatile LoadedModel model;
    private Slot defaultSlot;
    private final Map<String, Slot> cameraSlots = new HashMap<>();
    private final List<Slot> slots = new ArrayList<>();
    /** Snapshot for status readers: camera to version, loaded count and bytes. */
    private volatile Map<String, String> cameraVersions = Map.of();
    private volatile int loadedCount;
    private volatile long loadedBytes;
    private volatile int maxModels = DEFAULT_MAX_MODELS;
    private boolean closed;
    private volatile String backend;
    private volatile EngineOptions options;
    private volatile DetectorSettings settings;
    private volatile RegionPacker packer = RegionPacker.DEFAULT;
    private final AtomicLong inferences = new AtomicLong();
    private final AtomicLong inferenceNanos = new AtomicLong();
    private final AtomicLong swaps = new AtomicLong();

    public SharedDetector(String backend, EngineOptions options, DetectorSettings settings) {
        this.backend = backend;
        this.options = options;
        this.settings = settings;
    }

    public void configure(String newBackend, EngineOptions newOptions, DetectorSettings newSettings) {
        this.backend = newBackend;
        this.options = newOptions;
        this.settings = newSettings;
    }

    /** How region mode packs crops into passes (see DetectorConfig's regions.* settings). */
    public void setPacker(RegionPacker p) {
        this.packer = p;
    }

    public DetectorSettings settings() {
        return settings;
    }

    public String backend() {
        return backend;
    }

    public EngineOptions options() {
        return options;
    }

    /** At most this many distinct model versions are assigned (default and cameras' own) at a time. */
    public void maxModels(int n) {
        this.maxModels = Math.max(1, n);
    }

    public int maxModels() {
        return maxModels;
    }

    /** A model is loaded for the default or at least one camera. */
    public boolean ready() {
        return model != null || loadedCount > 0;
    }

    public Detections detect(Frame frame, List<Region> regions) throws DetectionException {
        return detect(frame, regions, settings);
    }

    public Detections detect(Frame frame, List<Region> regions, DetectorSettings s) throws DetectionException {
        lock.lock();
        try {
            Slot own = cameraSlots.isEmpty() ? null : cameraSlots.get(frame.cameraId());
            LoadedModel m = own != null ? own.model : model;
            if (m == null) {
                throw new DetectionException("no model loaded yet");
            }
            Detections d = m.detect(frame, regions, s, packer);
            inferences.addAndGet(d.regions().size());
            inferenceNanos.addAndGet(d.inferenceNanos());
            return d;
        } catch (EngineException | RuntimeException e) {
            throw new DetectionException("detection failed on " + frame + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    /** Runs an action with exclusive use of the current model (for raw tensor access, e.g. Kura's AI API). */
    public <T> T withModel(ModelAction<T> action, long timeoutMillis) throws Exception {
        if (!lock.tryLock(timeoutMillis, TimeUnit.MILLISECONDS)) {
            throw new DetectionException("detector busy for " + timeoutMillis + " ms");
        }
        try {
            LoadedModel m = model;
            if (m == null) {
                throw new DetectionException("no model loaded yet");
            }
            return action.run(m);
        } finally {
            lock.unlock();
        }
    }

    @FunctionalInterface
    public interface ModelAction<T> {
        T run(LoadedModel model) throws Exception;
    }

    private LoadedModel load(ModelDescriptor d, Path dir) throws ModelException {
        Path tpu = dir.resolve(PackageLayout.EDGETPU_MODEL);
        Path int8 = dir.resolve(PackageLayout.INT8_MODEL);
        try {
            return LoadedModel.load(d, dir.resolve(PackageLayout.MODEL), Files.isRegularFile(int8) ? int8 : null,
                    Files.isRegularFile(tpu) ? tpu : null, backend, options);
        } catch (EngineException e) {
            throw new ModelException("model " + d.version() + " rejected: " + e.getMessage(), e);
        }
    }

    /**
     * Loads and smoke-tests every build that can run on a CPU: the float model, and the int8 build when the
     * package has one (the Edge TPU build needs the device; its hash is checked by the registry).
     */
    @Override
    public void validate(ModelDescriptor d, Path dir) throws ModelException {
        EngineOptions cpu = new EngineOptions(options.threads(), false, options.edgeTpuLibrary());
        try {
            LoadedModel.load(d, dir.resolve(PackageLayout.MODEL), null, null, backend, cpu).close();
            Path int8 = dir.resolve(PackageLayout.INT8_MODEL);
            if (Files.isRegularFile(int8)) {
                try {
                    LoadedModel.load(d, int8, null, null, Engines.JAVACPP, cpu).close();
                } catch (EngineException e) {
                    throw new EngineException(PackageLayout.INT8_MODEL + ": " + e.getMessage(), e);
                }
            }
        } catch (EngineException e) {
            throw new ModelException("model " + d.version() + " rejected: " + e.getMessage(), e);
        }
    }

    @Override
    public void activate(ModelDescriptor d, Path dir) throws ModelException {
        activate(null, d, dir);
    }

    /** The engine settings are part of a loaded model's identity: a reload after they changed loads afresh. */
    private String key(String version) {
        return version + "|" + backend + "|" + options;
    }

    @Override
    public void activate(String camera, ModelDescriptor d, Path dir) throws ModelException {
        String key = key(d.version());
        Slot reuse;
        lock.lock();
        try {
            checkBound(camera, d.version());
            reuse = null;
            for (Slot s : slots) {
                if (s.key.equals(key)) {
                    reuse = s;
                    reuse.users++; // held while this swap runs
                    break;
                }
            }
        } finally {
            lock.unlock();
        }
        Slot fresh = reuse;
        if (fresh == null) {
            // loaded and smoke-tested without the lock: every camera keeps being served meanwhile
            fresh = new Slot(load(d, dir), key, modelBytes(dir));
            fresh.users = 1;
        }
        Slot old;
        lock.lock();
        try {
            if (closed) {
                // deactivated while this model was loading: do not leak it
                if (reuse == null) {
                    fresh.model.close();
                }
                throw new ModelException("detector stopped while model " + d.version() + " was loading");
            }
            if (reuse == null) {
                slots.add(fresh);
            }
            if (camera == null) {
                old = defaultSlot;
                defaultSlot = fresh;
                model = fresh.model;
            } else {
                old = cameraSlots.put(camera, fresh);
            }
            old = unuse(old);
            publish();
        } finally {
            lock.unlock();
        }
        swaps.incrementAndGet();
        InferenceEngine e = fresh.model.engine();
        LOG.info("detector now runs model {} {} on {} ({}), build {}: {}", d.version(), camera == null ? "by default" : "for camera " + camera,
                e.backend(), e.accelerator(), e.build(), e.buildReason());
        if (old != null) {
            old.model.close();
        }
    }

    @Override
    public void release(String camera) {
        Slot old;
        lock.lock();
        try {
            old = unuse(cameraSlots.remove(camera));
            publish();
        } finally {
            lock.unlock();
        }
        if (old != null) {
            LOG.info("camera {} runs the default model again", camera);
            old.model.close();
        }
    }

    /** Refuses an assignment that would make more than maxModels versions assigned at once. Under the lock. */
    private void checkBound(String camera, String version) throws ModelException {
        Set<String> versions = new LinkedHashSet<>();
        versions.add(camera == null ? version : defaultSlot == null ? version : defaultSlot.model.descriptor().version());
        cameraSlots.forEach((c, s) -> versions.add(c.equals(camera) ? version : s.model.descriptor().version()));
        versions.add(version);
        if (versions.size() > maxModels) {
            throw new ModelException("model " + version + (camera == null ? " as the default" : " for camera " + camera)
                    + " would make " + versions.size() + " models in memory, more than the detector's max.models " + maxModels
                    + " (in use: " + String.join(", ", versions) + ")");
        }
    }

    /** Drops one use of a slot; returns it when nothing uses it any more (to be closed after the lock). */
    private Slot unuse(Slot s) {
        if (s == null) {
            return null;
        }
        s.users--;
        if (s.users > 0) {
            return null;
        }
        slots.remove(s);
        return s;
    }

    private void publish() {
        Map<String, String> v = new TreeMap<>();
        cameraSlots.forEach((c, s) -> v.put(c, s.model.descriptor().version()));
        cameraVersions = Map.copyOf(v);
        loadedCount = slots.size();
        long b = 0;
        for (Slot s : slots) {
            b += s.bytes;
        }
        loadedBytes = b;
    }

    /** Size of the version's model file: about what its weights take in memory. */
    private static long modelBytes(Path dir) {
        try {
            return Files.size(dir.resolve(PackageLayout.MODEL));
        } catch (IOException e) {
            return 0;
        }
    }

    /** Cameras with a model of their own and its version. */
    public Map<String, String> cameraModels() {
        return cameraVersions;
    }

    public long swaps() {
        return swaps.get();
    }

    public DetectorStatus status(int queueDepth, long dropped) {
        LoadedModel m = model;
        long n = inferences.get();
        double mean = n == 0 ? 0 : inferenceNanos.get() / 1e6 / n;
        if (m == null) {
            return new DetectorStatus(backend, "none", "no model loaded", null, queueDepth, n, dropped, mean, cameraVersions,
                    loadedCount, loadedBytes);
        }
        InferenceEngine e = m.engine();
        return new DetectorStatus(e.backend(), e.accelerator(), e.note(), m.descriptor().version(), queueDepth, n, dropped, mean,
                e.build(), e.buildReason(), cameraVersions, loadedCount, loadedBytes);
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            for (Slot s : slots) {
                s.model.close();
            }
            slots.clear();
            cameraSlots.clear();
            defaultSlot = null;
            model = null;
            publish();
        } finally {
            lock.unlock();
        }
    }
}

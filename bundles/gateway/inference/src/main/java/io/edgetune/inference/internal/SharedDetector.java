package io.edgetune.inference.internal;

import io.edgetune.inference.engine.LoadedModel;
import io.edgetune.inference.engine.DetectorSettings;
import io.edgetune.inference.engine.EngineOptions;
import io.edgetune.inference.engine.EngineException;
import io.edgetune.inference.engine.InferenceEngine;
import io.edgetune.api.detect.DetectionException;
import io.edgetune.api.detect.Detections;
import io.edgetune.api.detect.DetectorStatus;
import io.edgetune.api.frame.Frame;
import io.edgetune.api.model.ModelDescriptor;
import io.edgetune.api.model.ModelException;
import io.edgetune.api.motion.Region;
import io.edgetune.modelpackage.PackageLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
 */
public final class SharedDetector implements ModelHost, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SharedDetector.class);

    private final ReentrantLock lock = new ReentrantLock(true);
    private volatile LoadedModel model;
    private boolean closed;
    private volatile String backend;
    private volatile EngineOptions options;
    private volatile DetectorSettings settings;
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

    public DetectorSettings settings() {
        return settings;
    }

    public String backend() {
        return backend;
    }

    public EngineOptions options() {
        return options;
    }

    public boolean ready() {
        return model != null;
    }

    public Detections detect(Frame frame, List<Region> regions) throws DetectionException {
        return detect(frame, regions, settings);
    }

    public Detections detect(Frame frame, List<Region> regions, DetectorSettings s) throws DetectionException {
        lock.lock();
        try {
            LoadedModel m = model;
            if (m == null) {
                throw new DetectionException("no model loaded yet");
            }
            Detections d = m.detect(frame, regions, s);
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
        LoadedModel fresh = load(d, dir);
        LoadedModel old;
        lock.lock();
        try {
            if (closed) {
                // deactivated while this model was loading: do not leak it
                fresh.close();
                throw new ModelException("detector stopped while model " + d.version() + " was loading");
            }
            old = model;
            model = fresh;
        } finally {
            lock.unlock();
        }
        swaps.incrementAndGet();
        InferenceEngine e = fresh.engine();
        LOG.info("detector now runs model {} on {} ({}), build {}: {}", d.version(), e.backend(), e.accelerator(), e.build(),
                e.buildReason());
        if (old != null) {
            old.close();
        }
    }

    public long swaps() {
        return swaps.get();
    }

    public DetectorStatus status(int queueDepth, long dropped) {
        LoadedModel m = model;
        long n = inferences.get();
        double mean = n == 0 ? 0 : inferenceNanos.get() / 1e6 / n;
        if (m == null) {
            return new DetectorStatus(backend, "none", "no model loaded", null, queueDepth, n, dropped, mean);
        }
        InferenceEngine e = m.engine();
        return new DetectorStatus(e.backend(), e.accelerator(), e.note(), m.descriptor().version(), queueDepth, n, dropped, mean,
                e.build(), e.buildReason());
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            if (model != null) {
                model.close();
                model = null;
            }
        } finally {
            lock.unlock();
        }
    }
}

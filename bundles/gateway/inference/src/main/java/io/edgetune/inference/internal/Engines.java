package io.edgetune.inference.internal;

import io.edgetune.inference.engine.EngineOptions;
import io.edgetune.inference.engine.EngineException;
import io.edgetune.inference.engine.InferenceEngine;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.util.Locale;

/** Creates the engine of the configured backend. DJL is loaded reflectively so it stays optional. */
public final class Engines {

    public static final String JAVACPP = "javacpp";
    public static final String DJL = "djl";
    private static final String DJL_ENGINE = "io.edgetune.inference.internal.djl.DjlTfliteEngine";

    private Engines() {
    }

    public static InferenceEngine create(String backend, Path cpuModel, Path edgeTpuModel, EngineOptions options) throws EngineException {
        return create(backend, cpuModel, null, edgeTpuModel, options);
    }

    /** DJL runs the float model only; the JavaCPP engine chooses among the builds (see JavaCppTfliteEngine). */
    public static InferenceEngine create(String backend, Path cpuModel, Path int8Model, Path edgeTpuModel, EngineOptions options)
            throws EngineException {
        String b = backend == null ? JAVACPP : backend.trim().toLowerCase(Locale.ROOT);
        switch (b) {
            case JAVACPP, "", "tflite-javacpp":
                return new JavaCppTfliteEngine(cpuModel, int8Model, edgeTpuModel, options);
            case DJL, "djl-tflite":
                return createDjl(cpuModel, options);
            default:
                throw new EngineException("unknown backend '" + backend + "' (expected " + JAVACPP + " or " + DJL + ")");
        }
    }

    private static InferenceEngine createDjl(Path model, EngineOptions options) throws EngineException {
        try {
            Class<?> type = Class.forName(DJL_ENGINE, true, Engines.class.getClassLoader());
            Constructor<?> c = type.getConstructor(Path.class, EngineOptions.class);
            return (InferenceEngine) c.newInstance(model, options);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof EngineException ee) {
                throw ee;
            }
            throw new EngineException("DJL backend failed: " + cause, cause);
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new BackendUnavailableException("DJL backend not available (install the optional io.edgetune.djl bundle, then refresh this bundle; ai.djl packages missing at run time: " + e + ")", e);
        }
    }
}

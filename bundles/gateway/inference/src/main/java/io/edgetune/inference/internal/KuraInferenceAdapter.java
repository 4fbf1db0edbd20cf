package io.edgetune.inference.internal;

import io.edgetune.inference.engine.LoadedModel;
import io.edgetune.inference.engine.InferenceEngine;
import io.edgetune.api.model.ModelDescriptor;
import io.edgetune.api.model.ModelException;
import io.edgetune.inference.engine.TensorFormat;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.kura.KuraErrorCode;
import org.eclipse.kura.KuraException;
import org.eclipse.kura.ai.inference.InferenceEngineService;
import org.eclipse.kura.ai.inference.ModelInfo;
import org.eclipse.kura.ai.inference.Tensor;
import org.eclipse.kura.ai.inference.TensorDescriptor;

/**
 * The shared detector seen through Kura's AI API, so Kura's AI wire
 * component can use the same engine (and Edge TPU). Raw tensors only: one
 * FP32 NHWC input in [-1,1], the SSD's raw box encodings and class logits
 * out; decoding stays with the caller. Model names are registry versions;
 * only the active one is loaded, {@value #ACTIVE} always names it. Kura's AI
 * wire component calls {@code loadModel} again for a model that is already
 * loaded: that is a no-op. A {@link ModelInfo} keeps the name it was asked
 * for, so a caller holding the alias follows model swaps.
 */
public final class KuraInferenceAdapter implements InferenceEngineService {

    public static final String ACTIVE = "edgetune-active";
    public static final String FP32 = "FP32";
    private static final long LOCK_TIMEOUT_MILLIS = 10_000;

    private final SharedDetector detector;
    private final Supplier<FileModelRegistry> registry;

    public KuraInferenceAdapter(SharedDetector detector, Supplier<FileModelRegistry> registry) {
        this.detector = detector;
        this.registry = registry;
    }

    private FileModelRegistry registry() throws KuraException {
        FileModelRegistry r = registry.get();
        if (r == null) {
            throw new KuraException(KuraErrorCode.NOT_CONNECTED, "model registry not open yet");
        }
        return r;
    }

    private boolean isActive(String name) throws KuraException {
        return ACTIVE.equals(name) || registry().activeVersion().map(name::equals).orElse(false);
    }

    @Override
    public List<Tensor> infer(ModelInfo modelInfo, List<Tensor> inputData) throws KuraException {
        if (!isActive(modelInfo.getName())) {
            throw new KuraException(KuraErrorCode.NOT_FOUND, "model " + modelInfo.getName() + " is not loaded");
        }
        if (inputData.size() != 1) {
            throw new KuraException(KuraErrorCode.INVALID_PARAMETER, "expected one input tensor, got " + inputData.size());
        }
        List<Float> in = inputData.get(0).getData(Float.class)
                .orElseThrow(() -> new KuraException(KuraErrorCode.INVALID_PARAMETER, "input tensor must hold Float values (" + FP32 + ")"));
        try {
            return detector.withModel(m -> {
                InferenceEngine e = m.engine();
                int n = e.inputWidth() * e.inputHeight() * 3;
                if (in.size() != n) {
                    throw new KuraException(KuraErrorCode.INVALID_PARAMETER, "input must hold " + n + " values, got " + in.size());
                }
                if (e.postProcessed()) {
                    throw new KuraException(KuraErrorCode.OPERATION_NOT_SUPPORTED, "model " + m.descriptor().version()
                            + " ends in TFLite_Detection_PostProcess; raw tensors are offered for raw-output SSDs only");
                }
                TensorFormat f = e.inputFormat();
                if (f.quantized()) {
                    // the caller's [-1,1] floats, quantized as the int8 build expects them
                    ByteBuffer buf = e.inputBytes();
                    for (int i = 0; i < n; i++) {
                        buf.put(i, (byte) f.quantize(in.get(i)));
                    }
                } else {
                    FloatBuffer buf = e.input();
                    for (int i = 0; i < n; i++) {
                        buf.put(i, in.get(i));
                    }
                }
                e.invoke();
                ModelInfo info = describe(m, modelInfo.getName());
                List<TensorDescriptor> outs = info.getOutputs();
                return List.of(new Tensor(Float.class, outs.get(0), copy(e.boxEncodings(), e.anchorCount() * 4)),
                        new Tensor(Float.class, outs.get(1), copy(e.classLogits(), e.anchorCount() * e.classCount())));
            }, LOCK_TIMEOUT_MILLIS);
        } catch (KuraException e) {
            throw e;
        } catch (Exception e) {
            throw new KuraException(KuraErrorCode.INTERNAL_ERROR, e, e.getMessage());
        }
    }

    private static List<Float> copy(FloatBuffer b, int n) {
        List<Float> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(b.get(i));
        }
        return out;
    }

    /**
     * With a path: installs the model package there and makes it the active
     * model. Without: the active model (or {@value #ACTIVE}) is already
     * loaded, nothing happens; another installed version becomes the active one.
     */
    @Override
    public void loadModel(String modelName, Optional<String> modelPath) throws KuraException {
        FileModelRegistry r = registry();
        try {
            if (modelPath.isPresent()) {
                r.activate(r.install(Paths.get(modelPath.get())).version());
                return;
            }
            if (isActive(modelName)) {
                return;
            }
            if (r.list().stream().noneMatch(d -> d.version().equals(modelName))) {
                throw new KuraException(KuraErrorCode.NOT_FOUND, "no model " + modelName + " installed");
            }
            r.activate(modelName);
        } catch (ModelException e) {
            throw new KuraException(KuraErrorCode.INVALID_PARAMETER, e, e.getMessage());
        }
    }

    /** Refuses the active model (the detector needs one); any other name is not loaded, so nothing to do. */
    @Override
    public void unloadModel(String modelName) throws KuraException {
        if (isActive(modelName)) {
            throw new KuraException(KuraErrorCode.OPERATION_NOT_SUPPORTED,
                    "the detector always serves one model; activate or roll back to another version instead");
        }
        // any other version is not loaded: nothing to do
    }

    /** False for any name until the registry is open and the detector has its model. */
    @Override
    public boolean isModelLoaded(String modelName) throws KuraException {
        return detector.ready() && registry.get() != null && isActive(modelName);
    }

    /** The installed registry versions, oldest first (the alias {@value #ACTIVE} is not listed). */
    @Override
    public List<String> getModelNames() throws KuraException {
        List<String> names = new ArrayList<>();
        for (ModelDescriptor d : registry().list()) {
            names.add(d.version());
        }
        return names;
    }

    @Override
    public Optional<ModelInfo> getModelInfo(String modelName) throws KuraException {
        if (!isActive(modelName)) {
            return Optional.empty();
        }
        try {
            return Optional.of(detector.withModel(m -> describe(m, modelName), LOCK_TIMEOUT_MILLIS));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** The loaded model under the name the caller used; its version is the registry version. */
    private static ModelInfo describe(LoadedModel m, String name) {
        InferenceEngine e = m.engine();
        ModelDescriptor d = m.descriptor();
        long anchors = e.anchorCount();
        return ModelInfo.builder(name)
                .platform(e.backend() + "/" + e.accelerator())
                .addParameter("build", e.build())
                .version(d.version())
                .addParameter("labels", String.join(",", d.labels()))
                .addParameter("anchors", d.anchors())
                .addInputDescriptor(TensorDescriptor.builder("normalized_input_image_tensor", FP32,
                        List.of(1L, (long) e.inputHeight(), (long) e.inputWidth(), 3L)).format("NHWC RGB [-1,1]").build())
                .addOutputDescriptor(TensorDescriptor.builder("raw_outputs/box_encodings", FP32, List.of(1L, anchors, 4L))
                        .format("y,x,h,w; scales 10,10,5,5").build())
                .addOutputDescriptor(TensorDescriptor.builder("raw_outputs/class_predictions", FP32,
                        List.of(1L, anchors, (long) e.classCount())).format("logits, column 0 background").build())
                .build();
    }

    @Override
    public boolean isEngineReady() {
        return detector.ready();
    }
}

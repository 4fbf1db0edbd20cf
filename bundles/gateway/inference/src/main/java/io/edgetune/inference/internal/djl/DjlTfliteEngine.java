package io.edgetune.inference.internal.djl;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import io.edgetune.inference.internal.BackendUnavailableException;
import io.edgetune.inference.engine.EngineException;
import io.edgetune.inference.engine.EngineOptions;
import io.edgetune.inference.internal.SsdEngine;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The same model on DJL's TensorFlow Lite engine (TFLite 2.6.2). Optional:
 * only loaded when configured. DJL would download its native library on first
 * use; with tflite-native-cpu on the class path and DJL offline it extracts
 * the library from that jar instead (into DJL's cache directory) and never
 * goes to the network.
 */
public final class DjlTfliteEngine extends SsdEngine {

    public static final String BACKEND = "djl-tflite";

    static {
        // never reach for publish.djl.ai: the natives come from the Maven jar
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
    }

    private final Model model;
    private final Predictor<NDList, NDList> predictor;
    private final NDManager manager;
    /** The input, also set as the base's: {@link #run()} needs it before the outputs are known. */
    private final FloatBuffer input;
    private final Shape inputShape;

    public DjlTfliteEngine(Path file, EngineOptions options) throws EngineException {
        String name = file.getFileName().toString();
        if (!name.endsWith(".tflite") || !Files.isRegularFile(file)) {
            throw new EngineException("DJL backend needs an existing .tflite file, got " + file);
        }
        String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        if (os.startsWith("linux") && !arch.equals("amd64") && !arch.equals("x86_64")) {
            throw new BackendUnavailableException("DJL backend not available on linux-" + arch
                    + ": DJL publishes TensorFlow Lite natives for linux-x86_64 only; use backend=javacpp");
        }
        // In OSGi, DJL finds its engine (ServiceLoader) and its native library (a resource)
        // through the TCCL: make that the class loader DJL itself comes from.
        Thread thread = Thread.currentThread();
        ClassLoader previousTccl = thread.getContextClassLoader();
        thread.setContextClassLoader(Model.class.getClassLoader());
        Model m = null;
        try {
            m = Model.newInstance("edgetune", "TFLite");
            m.load(file.toAbsolutePath().getParent(), name.substring(0, name.length() - ".tflite".length()));
            // DJL's TFLite block cannot describe its input; its interpreter (TFLite's own Java API) can
            int[] dims = inputDims(m);
            Shape s = new Shape(java.util.Arrays.stream(dims).asLongStream().toArray());
            if (s.dimension() != 4 || s.get(3) != 3) {
                throw new EngineException(file + ": expected a [1,H,W,3] input, found " + s);
            }
            inputShape = s;
            int height = (int) s.get(1);
            int width = (int) s.get(2);
            predictor = m.newPredictor(new NoopTranslator());
            manager = m.getNDManager().newSubManager();
            input = ByteBuffer.allocateDirect(width * height * 3 * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
            model = m;
            // output shapes are only known after a run; the smoke test of the caller follows anyway
            NDList out = run();
            NDArray[] ab = boxesFirst(out);
            NDArray a = ab[0];
            NDArray b = ab[1];
            int anchors = (int) a.getShape().get(1);
            int classes = (int) b.getShape().get(2);
            tensors(new Tensors(width, height, input, anchors, classes,
                    ByteBuffer.allocateDirect(anchors * 4 * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer(),
                    ByteBuffer.allocateDirect(anchors * classes * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer()));
            out.close();
        } catch (IOException | MalformedModelException | RuntimeException e) {
            if (m != null) {
                m.close();
            }
            throw new EngineException("DJL could not load " + file + ": " + e.getMessage(), e);
        } catch (EngineException e) {
            m.close();
            throw e;
        } finally {
            thread.setContextClassLoader(previousTccl);
        }
    }

    private static int[] inputDims(Model m) throws EngineException {
        try {
            java.lang.reflect.Field f = m.getBlock().getClass().getDeclaredField("interpreter");
            f.setAccessible(true);
            org.tensorflow.lite.Interpreter interpreter = (org.tensorflow.lite.Interpreter) f.get(m.getBlock());
            return interpreter.getInputTensor(0).shape();
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new EngineException("DJL " + m.getName() + ": cannot read the input shape (" + e + ")", e);
        }
    }

    /** The two outputs, box encodings first: the box tensor is the one whose last dimension is 4. */
    private static NDArray[] boxesFirst(NDList out) {
        NDArray a = out.get(0);
        NDArray b = out.get(1);
        return a.getShape().get(a.getShape().dimension() - 1) == 4 ? new NDArray[] {a, b} : new NDArray[] {b, a};
    }

    private NDList run() throws EngineException {
        try {
            // a duplicate, so DJL reading it never moves the position of the buffer the preparer writes into
            NDArray a = manager.create(input.duplicate().rewind(), inputShape);
            NDList out = predictor.predict(new NDList(a));
            a.close();
            return out;
        } catch (TranslateException e) {
            throw new EngineException("DJL inference failed: " + e.getMessage(), e);
        }
    }

    @Override
    public String backend() {
        return BACKEND;
    }

    @Override
    public String accelerator() {
        return "cpu";
    }

    @Override
    public String note() {
        return "";
    }

    @Override
    public void invoke() throws EngineException {
        try (NDList out = run()) {
            NDArray[] ab = boxesFirst(out);
            NDArray a = ab[0];
            NDArray b = ab[1];
            boxEncodings().clear();
            boxEncodings().put(a.toByteBuffer().order(ByteOrder.nativeOrder()).asFloatBuffer());
            classLogits().clear();
            classLogits().put(b.toByteBuffer().order(ByteOrder.nativeOrder()).asFloatBuffer());
        }
    }

    @Override
    public void close() {
        predictor.close();
        manager.close();
        model.close();
    }
}

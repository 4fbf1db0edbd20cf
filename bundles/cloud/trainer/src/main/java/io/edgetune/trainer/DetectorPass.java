package io.edgetune.trainer;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;

import io.edgetune.api.detect.Detection;
import io.edgetune.inference.ssd.InputPreparer;
import io.edgetune.inference.ssd.SsdAnchors;
import io.edgetune.inference.ssd.SsdDecoder;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.tensorflowlite.BuiltinOpResolverWithXNNPACK;
import org.bytedeco.tensorflowlite.FlatBufferModel;
import org.bytedeco.tensorflowlite.Interpreter;
import org.bytedeco.tensorflowlite.InterpreterBuilder;
import org.bytedeco.tensorflowlite.TfLiteTensor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's full-frame pass on one model (its input preparation, anchors,
 * decoder and NMS from io.edgetune.inference.ssd), with the class heads'
 * input feature maps kept readable: they are listed as extra interpreter
 * outputs before the tensors are allocated, so the arena does not reuse them.
 * Not thread safe.
 */
final class DetectorPass implements AutoCloseable {

    /** y, x, h, w scale factors of the TF OD API box coder of SSD MobileNet (as the gateway decodes). */
    static final float[] BOX_SCALES = {10f, 10f, 5f, 5f};
    private static final int TFLITE_OK = 0;
    private static final Logger LOG = LoggerFactory.getLogger(DetectorPass.class);

    private final BytePointer modelBytes;
    private final FlatBufferModel model;
    private final BuiltinOpResolverWithXNNPACK resolver;
    private final Interpreter interpreter;
    private final InputPreparer preparer;
    private final SsdDecoder decoder;
    private final FloatBuffer boxes;
    private final FloatBuffer logits;
    private final FloatBuffer[] features;
    /** Integer models: the tensors the interpreter reads and writes, converted from/to the float buffers above. */
    private final Quantized input;
    /** What the preparer writes: the input tensor itself for float models, else a float copy to quantize. */
    private final FloatBuffer scratch;
    private final Quantized boxesQ;
    private final Quantized logitsQ;
    final int anchors;
    /** Tensor indices of the raw box encodings and class logits. */
    final int boxIndex;
    final int logitIndex;
    final int classes;
    private int width;
    private int height;

    /**
     * @param file    the parsed model (for the output and feature tensor indices)
     * @param heads   class heads whose input maps are to be readable (may be empty)
     */
    DetectorPass(byte[] bytes, TfliteFile file, List<ClassHead> heads, String anchorScheme, int threads) throws TrainingException {
        this(bytes, file, heads.stream().mapToInt(h -> h.featureTensor).toArray(), anchorScheme, threads);
    }

    /**
     * @param extra float tensors to keep readable after each run ({@link #feature(int)}), for example the class heads'
     *              input maps or, for calibration, every activation
     */
    DetectorPass(byte[] bytes, TfliteFile file, int[] extra, String anchorScheme, int threads) throws TrainingException {
        modelBytes = new BytePointer(bytes.length);
        modelBytes.put(bytes);
        model = FlatBufferModel.VerifyAndBuildFromBuffer(modelBytes, bytes.length);
        if (model == null || model.isNull()) {
            modelBytes.deallocate();
            throw new TrainingException("TFLite rejects the model (corrupt or truncated, " + bytes.length + " bytes)");
        }
        resolver = new BuiltinOpResolverWithXNNPACK(true);
        InterpreterBuilder builder = new InterpreterBuilder(model, resolver);
        builder.SetNumThreads(Math.max(1, threads));
        interpreter = new Interpreter((Pointer) null);
        int built = builder.apply(interpreter);
        builder.deallocate();
        try {
            if (built != TFLITE_OK || interpreter.isNull()) {
                throw new TrainingException("TFLite could not build an interpreter for the model (unsupported operators?)");
            }
            int[] outs = new int[file.outputs.length + extra.length];
            System.arraycopy(file.outputs, 0, outs, 0, file.outputs.length);
            System.arraycopy(extra, 0, outs, file.outputs.length, extra.length);
            if (interpreter.SetOutputs(outs) != TFLITE_OK || interpreter.AllocateTensors() != TFLITE_OK) {
                throw new TrainingException("TFLite could not allocate the model's tensors");
            }
            int boxIndex = -1;
            int logitIndex = -1;
            for (int o : file.outputs) {
                int[] s = file.tensors.get(o).shape();
                if (s.length == 3 && s[2] == 4 && boxIndex < 0) {
                    boxIndex = o;
                } else if (s.length == 3) {
                    logitIndex = o;
                }
            }
            this.boxIndex = boxIndex;
            this.logitIndex = logitIndex;
            if (boxIndex < 0 || logitIndex < 0) {
                throw new TrainingException("model outputs are not SSD raw outputs [1,N,4] and [1,N,C]");
            }
            int[] ls = file.tensors.get(logitIndex).shape();
            anchors = ls[1];
            classes = ls[2];
            boxesQ = Quantized.of(file, boxIndex, interpreter.tensor(boxIndex));
            logitsQ = Quantized.of(file, logitIndex, interpreter.tensor(logitIndex));
            boxes = boxesQ == null ? floats(interpreter.tensor(boxIndex)) : FloatBuffer.allocate(boxesQ.length());
            logits = logitsQ == null ? floats(interpreter.tensor(logitIndex)) : FloatBuffer.allocate(logitsQ.length());
            features = new FloatBuffer[extra.length];
            for (int i = 0; i < extra.length; i++) {
                if (file.tensors.get(extra[i]).type() != TfliteFile.FLOAT32) {
                    throw new TrainingException("tensor " + file.tensors.get(extra[i]).name() + " is not float32");
                }
                features[i] = floats(interpreter.tensor(extra[i]));
            }
            TfLiteTensor in = interpreter.input_tensor(0);
            int h = in.dims().data(1);
            int w = in.dims().data(2);
            input = Quantized.of(file, file.model.main().inputs[0], in);
            scratch = input == null ? floats(in)
                    : java.nio.ByteBuffer.allocateDirect(4 * input.length()).order(ByteOrder.nativeOrder()).asFloatBuffer();
            preparer = new InputPreparer(scratch, w, h);
            SsdAnchors a = SsdAnchors.fromScheme(anchorScheme, Math.max(w, h));
            if (a.count() != anchors) {
                preparer.close();
                throw new TrainingException("anchor scheme '" + anchorScheme + "' gives " + a.count() + " anchors but the model outputs " + anchors);
            }
            decoder = new SsdDecoder(a, BOX_SCALES);
        } catch (TrainingException | RuntimeException e) {
            interpreter.deallocate();
            resolver.deallocate();
            model.deallocate();
            modelBytes.deallocate();
            throw e;
        }
    }

    private static FloatBuffer floats(TfLiteTensor t) {
        FloatPointer p = new FloatPointer(t.data().f());
        p.capacity(t.bytes() / Float.BYTES);
        return p.asByteBuffer().order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /** Reads an image as BGR; null when it cannot be read (the caller logs and skips it). */
    static Mat read(Path image) {
        Mat m = imread(image.toString(), IMREAD_COLOR);
        if (m == null || m.empty()) {
            if (m != null) {
                m.close();
            }
            return null;
        }
        return m;
    }

    /** Runs the model on the whole image. */
    void run(Mat bgr) throws TrainingException {
        preparer.prepare(bgr);
        if (input != null) {
            input.quantize(scratch);
        }
        if (interpreter.Invoke() != TFLITE_OK) {
            throw new TrainingException("TFLite Invoke failed");
        }
        if (boxesQ != null) {
            boxesQ.dequantize(boxes);
        }
        if (logitsQ != null) {
            logitsQ.dequantize(logits);
        }
    }

    /**
     * Reads a JPEG and runs the model on it; false, with one warning, when it cannot be read (the caller skips it).
     * The image's size is then {@link #width()} x {@link #height()}.
     *
     * @param use what the image is for, for the warning ("training", "evaluation")
     */
    boolean runOn(Path jpeg, String use) throws TrainingException {
        Mat bgr = read(jpeg);
        if (bgr == null) {
            LOG.warn("{} image {} cannot be read; skipped", use, jpeg);
            return false;
        }
        try {
            run(bgr);
            width = bgr.cols();
            height = bgr.rows();
            return true;
        } finally {
            bgr.close();
        }
    }

    /** Width of the image of the last {@link #runOn}. */
    int width() {
        return width;
    }

    /** Height of the image of the last {@link #runOn}. */
    int height() {
        return height;
    }

    /** Decoded, suppressed detections of the last run, boxes in the image's pixels. */
    List<Detection> detections(int width, int height, float scoreThreshold, float[] classThresholds, int maxDetections,
                               float nmsIou, List<String> labels) {
        decoder.reset();
        decoder.decode(boxes, logits, classes, scoreThreshold, classThresholds, null, 0, 0, width, height, 0);
        return decoder.suppress(nmsIou, maxDetections, labels);
    }

    /** The input feature map of head i after the last run, NHWC. */
    FloatBuffer feature(int head) {
        return features[head];
    }

    /** Raw box encodings of the last run, anchors x 4 (y, x, h, w). */
    FloatBuffer boxes() {
        return boxes;
    }

    /** Class logits of the last run, anchors x classes. */
    FloatBuffer logits() {
        return logits;
    }

    @Override
    public void close() {
        preparer.close();
        interpreter.deallocate();
        resolver.deallocate();
        model.deallocate();
        modelBytes.deallocate();
    }
}

package io.edgetune.inference.engine;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;

/**
 * One loaded model in one backend. Not thread safe: the detector serialises
 * calls. The input buffer is written in place (NHWC, RGB, [-1,1] as float or
 * quantized to the input tensor's 8-bit format) and
 * the output buffers are read after {@link #invoke()}; both stay valid and at
 * the same address until {@link #close()}.
 */
public interface InferenceEngine extends AutoCloseable {

    /** e.g. "tflite-javacpp" or "djl-tflite". */
    String backend();

    /** "edgetpu" or "cpu". */
    String accelerator();

    /** Why the accelerator is what it is; empty when nothing to say. */
    String note();

    int inputWidth();

    int inputHeight();

    /**
     * Direct buffer of inputHeight * inputWidth * 3 floats; when possible the interpreter's own tensor memory.
     * Null when the input is quantized (see {@link #inputFormat()} and {@link #inputBytes()}).
     */
    FloatBuffer input();

    /** How the input tensor holds its values; float32 unless the model takes 8-bit input. */
    default TensorFormat inputFormat() {
        return TensorFormat.FLOAT32;
    }

    /** The input tensor's own memory (inputHeight * inputWidth * 3 values of {@link #inputFormat()}). */
    default ByteBuffer inputBytes() {
        return null;
    }

    /**
     * Which build of the model package runs: {@code "edgetpu"}, {@code "int8-cpu"} or {@code "float-cpu"}
     * (see {@link #buildReason()} for why).
     */
    default String build() {
        return "float-cpu";
    }

    /** Why this build runs and not a faster one; empty when nothing to say. */
    default String buildReason() {
        return note();
    }

    /**
     * Whether the model ends in TFLite_Detection_PostProcess: then {@link #detectionBoxes()},
     * {@link #detectionClasses()}, {@link #detectionScores()} and {@link #detectionCount()} hold its
     * detections, and the raw-output accessors are not used.
     */
    default boolean postProcessed() {
        return false;
    }

    /** Post-processed models: boxes, maxDetections x 4 (ymin, xmin, ymax, xmax, normalised to the input). */
    default FloatBuffer detectionBoxes() {
        throw new UnsupportedOperationException("not a post-processed model");
    }

    /** Post-processed models: class per detection, 0-based without background. */
    default FloatBuffer detectionClasses() {
        throw new UnsupportedOperationException("not a post-processed model");
    }

    /** Post-processed models: score per detection. */
    default FloatBuffer detectionScores() {
        throw new UnsupportedOperationException("not a post-processed model");
    }

    /** Post-processed models: how many of the detections are valid after the last invoke. */
    default int detectionCount() {
        throw new UnsupportedOperationException("not a post-processed model");
    }

    void invoke() throws EngineException;

    /** Raw box encodings, anchors x 4 (y, x, h, w); dequantized when the model's outputs are 8-bit. */
    FloatBuffer boxEncodings();

    /** Class logits, anchors x classes (column 0 is background); dequantized when the model's outputs are 8-bit. */
    FloatBuffer classLogits();

    /** Raw-output models: anchors; post-processed models: the most detections per invoke. */
    int anchorCount();

    int classCount();

    @Override
    void close();
}

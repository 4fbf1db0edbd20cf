package io.edgetune.inference.engine;

import java.nio.FloatBuffer;

/**
 * One loaded model in one backend. Not thread safe: the detector serialises
 * calls. The input buffer is written in place (NHWC float, RGB, [-1,1]) and
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

    /** Direct buffer of inputHeight * inputWidth * 3 floats; when possible the interpreter's own tensor memory. */
    FloatBuffer input();

    void invoke() throws EngineException;

    /** Raw box encodings, anchors x 4 (y, x, h, w). */
    FloatBuffer boxEncodings();

    /** Class logits, anchors x classes (column 0 is background). */
    FloatBuffer classLogits();

    int anchorCount();

    int classCount();

    @Override
    void close();
}

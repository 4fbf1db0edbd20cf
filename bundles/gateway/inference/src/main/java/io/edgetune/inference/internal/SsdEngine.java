package io.edgetune.inference.internal;

import io.edgetune.inference.engine.InferenceEngine;
import io.edgetune.inference.engine.TensorFormat;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;

/**
 * What every backend shares: the input buffer and the SSD's outputs, with
 * their sizes. A backend sets them once, when its model is loaded, and fills
 * them on every {@link #invoke()}.
 */
public abstract class SsdEngine implements InferenceEngine {

    /**
     * The buffers and sizes of a loaded SSD; see {@link InferenceEngine} for their layout. For a raw-output
     * SSD {@code boxes} and {@code logits} are the two outputs; for one ending in TFLite_Detection_PostProcess
     * {@code boxes} holds its boxes, {@code logits} its scores, {@code classes} its class ids and
     * {@code count} its detection count, and {@code anchors} is its maximum number of detections.
     */
    public record Tensors(int inputWidth, int inputHeight, FloatBuffer input, ByteBuffer inputBytes, TensorFormat inputFormat,
                          int anchors, int classes, FloatBuffer boxes, FloatBuffer logits,
                          boolean postProcessed, FloatBuffer detectionClasses, FloatBuffer count) {

        /** A float raw-output SSD. */
        public Tensors(int inputWidth, int inputHeight, FloatBuffer input, int anchors, int classes, FloatBuffer boxes,
                       FloatBuffer logits) {
            this(inputWidth, inputHeight, input, null, TensorFormat.FLOAT32, anchors, classes, boxes, logits, false, null, null);
        }
    }

    private Tensors tensors;

    /** Called by the backend's constructor once the model is loaded. */
    protected final void tensors(Tensors t) {
        this.tensors = t;
    }

    @Override
    public int inputWidth() {
        return tensors.inputWidth();
    }

    @Override
    public int inputHeight() {
        return tensors.inputHeight();
    }

    @Override
    public FloatBuffer input() {
        return tensors.input();
    }

    @Override
    public ByteBuffer inputBytes() {
        return tensors.inputBytes();
    }

    @Override
    public TensorFormat inputFormat() {
        return tensors.inputFormat();
    }

    @Override
    public FloatBuffer boxEncodings() {
        return tensors.boxes();
    }

    @Override
    public FloatBuffer classLogits() {
        return tensors.logits();
    }

    @Override
    public int anchorCount() {
        return tensors.anchors();
    }

    @Override
    public int classCount() {
        return tensors.classes();
    }

    @Override
    public boolean postProcessed() {
        return tensors.postProcessed();
    }

    @Override
    public FloatBuffer detectionBoxes() {
        requirePostProcessed();
        return tensors.boxes();
    }

    @Override
    public FloatBuffer detectionClasses() {
        requirePostProcessed();
        return tensors.detectionClasses();
    }

    @Override
    public FloatBuffer detectionScores() {
        requirePostProcessed();
        return tensors.logits();
    }

    @Override
    public int detectionCount() {
        requirePostProcessed();
        return Math.max(0, Math.min(tensors.anchors(), Math.round(tensors.count().get(0))));
    }

    private void requirePostProcessed() {
        if (!tensors.postProcessed()) {
            throw new UnsupportedOperationException("not a post-processed model");
        }
    }
}

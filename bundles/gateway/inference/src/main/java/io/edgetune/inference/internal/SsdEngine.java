package io.edgetune.inference.internal;

import io.edgetune.inference.engine.InferenceEngine;
import java.nio.FloatBuffer;

/**
 * What every backend shares: the input buffer and the SSD's two raw outputs,
 * with their sizes. A backend sets them once, when its model is loaded, and
 * fills them on every {@link #invoke()}.
 */
public abstract class SsdEngine implements InferenceEngine {

    /** The buffers and sizes of a loaded SSD; see {@link InferenceEngine} for their layout. */
    public record Tensors(int inputWidth, int inputHeight, FloatBuffer input, int anchors, int classes, FloatBuffer boxes,
                             FloatBuffer logits) {
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
}

package io.edgetune.inference.ssd;

import io.edgetune.api.detect.Detection;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns raw SSD outputs into detections: box decoding against the anchors,
 * sigmoid class scores, score threshold, class allow-list, and per-class
 * non-maximum suppression. Candidates from several crops of one frame are
 * collected in frame coordinates first and suppressed together, so one
 * person seen by two overlapping crops is reported once.
 *
 * <p>All working storage is preallocated and reused; not thread safe.
 */
public final class SsdDecoder {

    /** A box of another crop that lies this much inside a kept box is the same object cut by a crop edge. */
    private static final float CROSS_CROP_CONTAINMENT = 0.8f;

    private final SsdAnchors anchors;
    private final float yScale;
    private final float xScale;
    private final float hScale;
    private final float wScale;

    private float[] x1 = new float[0];
    private float[] y1 = new float[0];
    private float[] x2 = new float[0];
    private float[] y2 = new float[0];
    private float[] score = new float[0];
    private int[] cls = new int[0];
    private int[] crop = new int[0];
    private int[] order = new int[0];
    private boolean[] dropped = new boolean[0];
    private float[] minLogits = new float[0];
    private int size;

    /** @param boxScales y, x, h, w scale factors of the box coder (10, 10, 5, 5 for the TF OD API SSDs) */
    public SsdDecoder(SsdAnchors anchors, float[] boxScales) {
        this.anchors = anchors;
        this.yScale = boxScales[0];
        this.xScale = boxScales[1];
        this.hScale = boxScales[2];
        this.wScale = boxScales[3];
        grow(1024);
    }

    public int anchorCount() {
        return anchors.count();
    }

    /** Forgets the candidates of the previous frame. */
    public void reset() {
        size = 0;
    }

    public int candidateCount() {
        return size;
    }

    /**
     * Decodes one inference over a crop and appends the candidates that pass.
     *
     * @param allowed   per class id, whether it may be reported (null: all but background)
     * @param ox        left of the crop in frame pixels; oy, ow, oh likewise
     */
    public void decode(FloatBuffer boxes, FloatBuffer logits, int classes, float scoreThreshold, boolean[] allowed,
                       float ox, float oy, float ow, float oh, int cropIndex) {
        decode(boxes, logits, classes, scoreThreshold, null, allowed, ox, oy, ow, oh, cropIndex);
    }

    /**
     * As {@link #decode(FloatBuffer, FloatBuffer, int, float, boolean[], float, float, float, float, int)}, with
     * per-class score thresholds.
     *
     * @param classThresholds per class id, the score that class needs instead of scoreThreshold; NaN (or a
     *                        missing entry, or a null array) means scoreThreshold
     */
    public void decode(FloatBuffer boxes, FloatBuffer logits, int classes, float scoreThreshold, float[] classThresholds,
                       boolean[] allowed, float ox, float oy, float ow, float oh, int cropIndex) {
        int n = anchors.count();
        if (boxes.capacity() < n * 4 || logits.capacity() < n * classes) {
            throw new IllegalArgumentException("outputs hold fewer than " + n + " anchors");
        }
        // compare logits, not probabilities: sigmoid only for the survivors
        if (minLogits.length < classes) {
            minLogits = new float[classes];
        }
        for (int c = 0; c < classes; c++) {
            float own = classThresholds != null && c < classThresholds.length ? classThresholds[c] : Float.NaN;
            minLogits[c] = logit(Float.isNaN(own) ? scoreThreshold : own);
        }
        for (int a = 0; a < n; a++) {
            int row = a * classes;
            boolean decoded = false;
            float bx1 = 0;
            float by1 = 0;
            float bx2 = 0;
            float by2 = 0;
            for (int c = 1; c < classes; c++) {
                float logit = logits.get(row + c);
                if (logit < minLogits[c] || (allowed != null && (c >= allowed.length || !allowed[c]))) {
                    continue;
                }
                if (!decoded) {
                    int b = a * 4;
                    float ycenter = boxes.get(b) / yScale * anchors.h[a] + anchors.cy[a];
                    float xcenter = boxes.get(b + 1) / xScale * anchors.w[a] + anchors.cx[a];
                    float hh = (float) Math.exp(boxes.get(b + 2) / hScale) * anchors.h[a] * 0.5f;
                    float hw = (float) Math.exp(boxes.get(b + 3) / wScale) * anchors.w[a] * 0.5f;
                    bx1 = ox + clamp01(xcenter - hw) * ow;
                    by1 = oy + clamp01(ycenter - hh) * oh;
                    bx2 = ox + clamp01(xcenter + hw) * ow;
                    by2 = oy + clamp01(ycenter + hh) * oh;
                    decoded = true;
                }
                if (size == score.length) {
                    grow(size * 2);
                }
                x1[size] = bx1;
                y1[size] = by1;
                x2[size] = bx2;
                y2[size] = by2;
                score[size] = (float) (1.0 / (1.0 + Math.exp(-logit)));
                cls[size] = c;
                crop[size] = cropIndex;
                size++;
            }
        }
    }

    /**
     * Appends one candidate already decoded elsewhere (e.g. by a model's own TFLite_Detection_PostProcess), in
     * frame coordinates, so it is suppressed together with the other crops' candidates.
     */
    public void add(float left, float top, float right, float bottom, float score, int classId, int cropIndex) {
        if (size == this.score.length) {
            grow(size * 2);
        }
        x1[size] = left;
        y1[size] = top;
        x2[size] = right;
        y2[size] = bottom;
        this.score[size] = score;
        cls[size] = classId;
        crop[size] = cropIndex;
        size++;
    }

    /** Per-class greedy NMS over all candidates collected since {@link #reset()}, best first. */
    public List<Detection> suppress(float iouThreshold, int maxDetections, List<String> labels) {
        for (int i = 0; i < size; i++) {
            order[i] = i;
            dropped[i] = false;
        }
        sortByScoreDescending();
        List<Detection> out = new ArrayList<>(Math.min(size, maxDetections));
        for (int oi = 0; oi < size && out.size() < maxDetections; oi++) {
            int i = order[oi];
            if (dropped[i]) {
                continue;
            }
            if (x2[i] - x1[i] < 1f || y2[i] - y1[i] < 1f) {
                continue;
            }
            String label = cls[i] < labels.size() ? labels.get(cls[i]) : "class" + cls[i];
            out.add(new Detection(cls[i], label, score[i], x1[i], y1[i], x2[i] - x1[i], y2[i] - y1[i]));
            float areaI = (x2[i] - x1[i]) * (y2[i] - y1[i]);
            for (int oj = oi + 1; oj < size; oj++) {
                int j = order[oj];
                if (dropped[j] || cls[j] != cls[i]) {
                    continue;
                }
                float iw = Math.min(x2[i], x2[j]) - Math.max(x1[i], x1[j]);
                float ih = Math.min(y2[i], y2[j]) - Math.max(y1[i], y1[j]);
                if (iw <= 0 || ih <= 0) {
                    continue;
                }
                float inter = iw * ih;
                float areaJ = (x2[j] - x1[j]) * (y2[j] - y1[j]);
                float iou = inter / (areaI + areaJ - inter);
                if (iou > iouThreshold || (crop[i] != crop[j] && inter / Math.min(areaI, areaJ) > CROSS_CROP_CONTAINMENT)) {
                    dropped[j] = true;
                }
            }
        }
        return out;
    }

    private static float logit(float threshold) {
        float t = Math.min(Math.max(threshold, 1e-6f), 1 - 1e-6f);
        return (float) Math.log(t / (1 - t));
    }

    private static float clamp01(float v) {
        return v < 0 ? 0 : (v > 1 ? 1 : v);
    }

    // Shell sort on the index array: no boxing, no allocation.
    private void sortByScoreDescending() {
        int gap = 1;
        while (gap < size / 3) {
            gap = 3 * gap + 1;
        }
        for (; gap >= 1; gap /= 3) {
            for (int i = gap; i < size; i++) {
                int v = order[i];
                float s = score[v];
                int j = i;
                while (j >= gap && score[order[j - gap]] < s) {
                    order[j] = order[j - gap];
                    j -= gap;
                }
                order[j] = v;
            }
        }
    }

    private void grow(int capacity) {
        x1 = java.util.Arrays.copyOf(x1, capacity);
        y1 = java.util.Arrays.copyOf(y1, capacity);
        x2 = java.util.Arrays.copyOf(x2, capacity);
        y2 = java.util.Arrays.copyOf(y2, capacity);
        score = java.util.Arrays.copyOf(score, capacity);
        cls = java.util.Arrays.copyOf(cls, capacity);
        crop = java.util.Arrays.copyOf(crop, capacity);
        order = java.util.Arrays.copyOf(order, capacity);
        dropped = java.util.Arrays.copyOf(dropped, capacity);
    }
}

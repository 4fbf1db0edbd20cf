package io.edgetune.api.detect;

/**
 * One detected object; the box is in full-frame pixel coordinates.
 *
 * @param classId index into the model's label map (0 is background and never reported)
 */
public record Detection(int classId, String label, float score, float x, float y, float width, float height) {

    public float right() {
        return x + width;
    }

    public float bottom() {
        return y + height;
    }

    public float area() {
        return Math.max(0, width) * Math.max(0, height);
    }

    /** Intersection over union of the two boxes, 0 when disjoint. */
    public float iou(Detection o) {
        float w = Math.min(right(), o.right()) - Math.max(x, o.x);
        float h = Math.min(bottom(), o.bottom()) - Math.max(y, o.y);
        if (w <= 0 || h <= 0) {
            return 0f;
        }
        float inter = w * h;
        return inter / (area() + o.area() - inter);
    }
}

package io.edgetune.trainer;

import io.edgetune.api.detect.Detection;
import io.edgetune.inference.ssd.SsdAnchors;
import java.nio.FloatBuffer;
import java.util.List;

/**
 * Labels every anchor of one image against its teacher boxes: IoU at least
 * positiveIou is a positive of the box's class, below negativeIou is
 * background, in between is ignored; each box's best anchor is forced
 * positive when their IoU reaches forcedMinIou. IoU is computed in the
 * model's normalised input space (the whole frame stretched to the input).
 *
 * <p>The box compared with a teacher box is either the anchor itself (the
 * classic SSD rule) or, by default, the box the frozen box head predicts for
 * that anchor on this image: with the box head frozen, an anchor whose
 * predicted box lands on a person yields a true positive when it fires, and
 * one whose predicted box lands elsewhere yields a false alarm, whatever the
 * anchor's own shape.
 */
final class AnchorMatcher {

    private final SsdAnchors anchors;
    private final TrainerSettings s;
    private final float[] bestIou;
    private final float[] bx1;
    private final float[] by1;
    private final float[] bx2;
    private final float[] by2;

    AnchorMatcher(SsdAnchors anchors, TrainerSettings s) {
        this.anchors = anchors;
        this.s = s;
        this.bestIou = new float[anchors.count()];
        int n = anchors.count();
        bx1 = new float[n];
        by1 = new float[n];
        bx2 = new float[n];
        by2 = new float[n];
    }

    /** The boxes to match: predicted by the box head from its encodings (y, x, h, w per anchor), or the anchors. */
    private void boxes(FloatBuffer encodings) {
        float[] k = DetectorPass.BOX_SCALES;
        for (int a = 0; a < anchors.count(); a++) {
            float cy = anchors.centerY(a);
            float cx = anchors.centerX(a);
            float hh = anchors.height(a) / 2;
            float hw = anchors.width(a) / 2;
            if (encodings != null) {
                int b = a * 4;
                cy += encodings.get(b) / k[0] * anchors.height(a);
                cx += encodings.get(b + 1) / k[1] * anchors.width(a);
                hh = (float) Math.exp(encodings.get(b + 2) / k[2]) * hh;
                hw = (float) Math.exp(encodings.get(b + 3) / k[3]) * hw;
            }
            // clipped to the image as the gateway's decoder does
            bx1[a] = clamp01(cx - hw);
            by1[a] = clamp01(cy - hh);
            bx2[a] = clamp01(cx + hw);
            by2[a] = clamp01(cy + hh);
        }
    }

    private static float clamp01(float v) {
        return v < 0 ? 0 : (v > 1 ? 1 : v);
    }

    /**
     * Fills labels (one per anchor) and returns the number of positives.
     *
     * @param encodings the image's raw box encodings when matching predicted boxes, null to match the anchors
     */
    int match(List<Detection> truth, int width, int height, int classes, int[] labels, FloatBuffer encodings) {
        int n = anchors.count();
        boxes(encodings);
        java.util.Arrays.fill(labels, 0, n, 0);
        java.util.Arrays.fill(bestIou, 0f);
        int[] bestTruthAnchor = new int[truth.size()];
        float[] bestTruthIou = new float[truth.size()];
        for (int t = 0; t < truth.size(); t++) {
            Detection d = truth.get(t);
            if (d.classId() <= 0 || d.classId() >= classes) {
                continue;
            }
            float tx1 = d.x() / width;
            float ty1 = d.y() / height;
            float tx2 = d.right() / width;
            float ty2 = d.bottom() / height;
            float tArea = (tx2 - tx1) * (ty2 - ty1);
            if (tArea <= 0) {
                continue;
            }
            bestTruthAnchor[t] = -1;
            for (int a = 0; a < n; a++) {
                float iw = Math.min(tx2, bx2[a]) - Math.max(tx1, bx1[a]);
                float ih = Math.min(ty2, by2[a]) - Math.max(ty1, by1[a]);
                if (iw <= 0 || ih <= 0) {
                    continue;
                }
                float inter = iw * ih;
                float iou = inter / (tArea + (bx2[a] - bx1[a]) * (by2[a] - by1[a]) - inter);
                if (iou > bestIou[a]) {
                    bestIou[a] = iou;
                    labels[a] = iou >= s.positiveIou() ? d.classId() : (iou >= s.negativeIou() ? FeatureCache.IGNORE : 0);
                }
                if (iou > bestTruthIou[t]) {
                    bestTruthIou[t] = iou;
                    bestTruthAnchor[t] = a;
                }
            }
        }
        for (int t = 0; t < truth.size(); t++) {
            if (bestTruthIou[t] > 0 && bestTruthIou[t] >= s.forcedMinIou()) {
                labels[bestTruthAnchor[t]] = truth.get(t).classId();
            }
        }
        int positives = 0;
        for (int a = 0; a < n; a++) {
            positives += labels[a] > 0 ? 1 : 0;
        }
        return positives;
    }
}

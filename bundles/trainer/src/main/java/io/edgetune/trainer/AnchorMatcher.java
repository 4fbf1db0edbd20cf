package io.edgetune.trainer;

import io.edgetune.api.detect.Detection;
import io.edgetune.inference.ssd.SsdAnchors;
import java.util.List;

/**
 * Labels every anchor of one image against its teacher boxes: IoU at least
 * positiveIou is a positive of the box's class, below negativeIou is
 * background, in between is ignored; each box's best anchor is forced
 * positive when their IoU reaches forcedMinIou. IoU is computed in the
 * model's normalised input space (the whole frame stretched to the input).
 */
final class AnchorMatcher {

    private final SsdAnchors anchors;
    private final TrainerSettings s;
    private final float[] bestIou;

    AnchorMatcher(SsdAnchors anchors, TrainerSettings s) {
        this.anchors = anchors;
        this.s = s;
        this.bestIou = new float[anchors.count()];
    }

    /** Fills labels (one per anchor) and returns the number of positives. */
    int match(List<Detection> truth, int width, int height, int classes, int[] labels) {
        int n = anchors.count();
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
                float hw = anchors.width(a) / 2;
                float hh = anchors.height(a) / 2;
                float iw = Math.min(tx2, anchors.centerX(a) + hw) - Math.max(tx1, anchors.centerX(a) - hw);
                float ih = Math.min(ty2, anchors.centerY(a) + hh) - Math.max(ty1, anchors.centerY(a) - hh);
                if (iw <= 0 || ih <= 0) {
                    continue;
                }
                float inter = iw * ih;
                float iou = inter / (tArea + anchors.width(a) * anchors.height(a) - inter);
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

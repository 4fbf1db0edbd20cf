package io.edgetune.trainer;

import java.util.ArrayList;
import java.util.List;

/**
 * Feature vectors of the cached cells of every training image, per head,
 * with the anchor labels of each cell: class id (positive), 0 (background)
 * or -1 (ignored).
 */
final class FeatureCache {

    static final int IGNORE = -1;

    /** Per head: cached feature vectors (channels floats each) and per-slot labels. */
    final List<List<float[]>> features = new ArrayList<>();
    final List<List<int[]>> labels = new ArrayList<>();
    long bytes;

    FeatureCache(int heads) {
        for (int h = 0; h < heads; h++) {
            features.add(new ArrayList<>());
            labels.add(new ArrayList<>());
        }
    }

    void add(int head, float[] feature, int[] slotLabels) {
        features.get(head).add(feature);
        labels.get(head).add(slotLabels);
        bytes += 4L * feature.length + 4L * slotLabels.length + 64;
    }

    int cells() {
        int n = 0;
        for (List<float[]> f : features) {
            n += f.size();
        }
        return n;
    }

    /** Positive anchors per class id. */
    int[] positives(int classes) {
        int[] p = new int[classes];
        for (List<int[]> head : labels) {
            for (int[] slots : head) {
                for (int l : slots) {
                    if (l > 0 && l < classes) {
                        p[l]++;
                    }
                }
            }
        }
        return p;
    }
}

package io.edgetune.tracker;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Multi-object tracking scores against ground truth: CLEAR MOT (MOTA, ID
 * switches, misses, false positives; a ground-truth object keeps its
 * hypothesis from the frame before while their boxes still overlap at IoU 0.5,
 * the rest is matched greedily by IoU) and the identity scores of Ristani et
 * al. (IDF1: one hypothesis id per ground-truth id for the whole sequence,
 * chosen by an optimal assignment that maximises the frames they share).
 */
final class MotScore {

    /** A box with an id: ground truth or hypothesis. */
    record Box(long id, float x, float y, float w, float h) {
        float iou(Box o) {
            float iw = Math.min(x + w, o.x + o.w) - Math.max(x, o.x);
            float ih = Math.min(y + h, o.y + o.h) - Math.max(y, o.y);
            if (iw <= 0 || ih <= 0) {
                return 0;
            }
            float inter = iw * ih;
            return inter / (w * h + o.w * o.h - inter);
        }
    }

    record Result(int gt, int hyp, int misses, int falsePositives, int idSwitches, int matches, double mota,
                  double idf1, double idPrecision, double idRecall, int gtIds, int hypIds, int fragmentations) {
        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "MOTA %.3f, IDF1 %.3f (IDP %.3f, IDR %.3f), ID switches %d, "
                    + "misses %d, false positives %d, fragmentations %d; %d ground-truth boxes of %d objects, %d tracks",
                    mota, idf1, idPrecision, idRecall, idSwitches, misses, falsePositives, fragmentations, gt, gtIds, hypIds);
        }
    }

    private static final float IOU = 0.5f;
    private final List<List<Box>> gtFrames = new ArrayList<>();
    private final List<List<Box>> hypFrames = new ArrayList<>();

    void frame(List<Box> gt, List<Box> hyp) {
        gtFrames.add(List.copyOf(gt));
        hypFrames.add(List.copyOf(hyp));
    }

    Result score() {
        int gtCount = 0, hypCount = 0, misses = 0, fps = 0, switches = 0, matches = 0, frags = 0;
        Map<Long, Long> last = new HashMap<>();      // gt id -> hyp id it was last matched to
        Map<Long, Boolean> trackedBefore = new HashMap<>(); // gt id -> matched in the previous frame it was present
        Map<Long, Integer> gtIndex = new HashMap<>();
        Map<Long, Integer> hypIndex = new HashMap<>();
        Map<Long, Map<Long, Integer>> shared = new HashMap<>();
        for (int f = 0; f < gtFrames.size(); f++) {
            List<Box> gt = gtFrames.get(f);
            List<Box> hyp = hypFrames.get(f);
            gtCount += gt.size();
            hypCount += hyp.size();
            for (Box g : gt) {
                gtIndex.putIfAbsent(g.id(), gtIndex.size());
                for (Box h : hyp) {
                    if (g.iou(h) >= IOU) {
                        shared.computeIfAbsent(g.id(), k -> new HashMap<>()).merge(h.id(), 1, Integer::sum);
                    }
                }
            }
            for (Box h : hyp) {
                hypIndex.putIfAbsent(h.id(), hypIndex.size());
            }
            Map<Long, Long> now = new HashMap<>();
            boolean[] hypUsed = new boolean[hyp.size()];
            // keep last frame's correspondences that still hold
            for (Box g : gt) {
                Long prev = last.get(g.id());
                if (prev == null) {
                    continue;
                }
                for (int j = 0; j < hyp.size(); j++) {
                    if (!hypUsed[j] && hyp.get(j).id() == prev && g.iou(hyp.get(j)) >= IOU) {
                        hypUsed[j] = true;
                        now.put(g.id(), prev);
                        break;
                    }
                }
            }
            // the rest greedily by IoU
            List<float[]> pairs = new ArrayList<>();
            for (int i = 0; i < gt.size(); i++) {
                if (now.containsKey(gt.get(i).id())) {
                    continue;
                }
                for (int j = 0; j < hyp.size(); j++) {
                    float iou = gt.get(i).iou(hyp.get(j));
                    if (!hypUsed[j] && iou >= IOU) {
                        pairs.add(new float[] {iou, i, j});
                    }
                }
            }
            pairs.sort((a, b) -> Float.compare(b[0], a[0]));
            for (float[] p : pairs) {
                Box g = gt.get((int) p[1]);
                int j = (int) p[2];
                if (now.containsKey(g.id()) || hypUsed[j]) {
                    continue;
                }
                hypUsed[j] = true;
                now.put(g.id(), hyp.get(j).id());
                Long prev = last.get(g.id());
                if (prev != null && prev != hyp.get(j).id()) {
                    switches++;
                }
            }
            for (Box g : gt) {
                boolean matched = now.containsKey(g.id());
                if (matched) {
                    matches++;
                    last.put(g.id(), now.get(g.id()));
                    if (Boolean.FALSE.equals(trackedBefore.get(g.id()))) {
                        frags++; // tracked again after an interruption
                    }
                } else {
                    misses++;
                }
                trackedBefore.put(g.id(), matched);
            }
            for (boolean u : hypUsed) {
                if (!u) {
                    fps++;
                }
            }
        }
        // IDF1: the assignment of gt ids to hyp ids that maximises the frames they share
        int n = Math.max(gtIndex.size(), hypIndex.size());
        long[][] cost = new long[n][n];
        for (Map.Entry<Long, Map<Long, Integer>> e : shared.entrySet()) {
            int gi = gtIndex.get(e.getKey());
            for (Map.Entry<Long, Integer> h : e.getValue().entrySet()) {
                cost[gi][hypIndex.get(h.getKey())] = -h.getValue();
            }
        }
        int[] assign = hungarian(cost);
        long idtp = 0;
        for (int i = 0; i < n; i++) {
            idtp -= cost[i][assign[i]];
        }
        double idp = hypCount == 0 ? 0 : (double) idtp / hypCount;
        double idr = gtCount == 0 ? 0 : (double) idtp / gtCount;
        double idf1 = gtCount + hypCount == 0 ? 0 : 2.0 * idtp / (gtCount + hypCount);
        double mota = gtCount == 0 ? 0 : 1.0 - (double) (misses + fps + switches) / gtCount;
        return new Result(gtCount, hypCount, misses, fps, switches, matches, mota, idf1, idp, idr, gtIndex.size(),
                hypIndex.size(), frags);
    }

    /** Minimum-cost perfect assignment of a square matrix (rows to columns), O(n^3). */
    static int[] hungarian(long[][] a) {
        int n = a.length;
        long inf = Long.MAX_VALUE / 4;
        long[] u = new long[n + 1];
        long[] v = new long[n + 1];
        int[] p = new int[n + 1];
        int[] way = new int[n + 1];
        for (int i = 1; i <= n; i++) {
            p[0] = i;
            int j0 = 0;
            long[] minv = new long[n + 1];
            java.util.Arrays.fill(minv, inf);
            boolean[] used = new boolean[n + 1];
            do {
                used[j0] = true;
                int i0 = p[j0];
                long delta = inf;
                int j1 = 0;
                for (int j = 1; j <= n; j++) {
                    if (!used[j]) {
                        long cur = a[i0 - 1][j - 1] - u[i0] - v[j];
                        if (cur < minv[j]) {
                            minv[j] = cur;
                            way[j] = j0;
                        }
                        if (minv[j] < delta) {
                            delta = minv[j];
                            j1 = j;
                        }
                    }
                }
                for (int j = 0; j <= n; j++) {
                    if (used[j]) {
                        u[p[j]] += delta;
                        v[j] -= delta;
                    } else {
                        minv[j] -= delta;
                    }
                }
                j0 = j1;
            } while (p[j0] != 0);
            do {
                int j1 = way[j0];
                p[j0] = p[j1];
                j0 = j1;
            } while (j0 != 0);
        }
        int[] rowToCol = new int[n];
        for (int j = 1; j <= n; j++) {
            if (p[j] != 0) {
                rowToCol[p[j] - 1] = j - 1;
            }
        }
        return rowToCol;
    }
}

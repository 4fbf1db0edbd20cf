package io.edgetune.annotator.teacher;

import io.edgetune.api.detect.Detection;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Weighted box fusion of the teacher's passes: per class, boxes are taken best
 * first and joined to the first cluster whose fused box they overlap by at least
 * the IoU; a cluster's box is the score-weighted mean of its members and its
 * score the best member's (an object seen by one pass only is not penalised:
 * most objects are visible to just one or two tiles).
 */
public final class BoxFusion {

    private BoxFusion() {
    }

    /** A fused object: the box and how many pass boxes support it. */
    public record Fused(Detection box, int support) {
    }

    public static List<Fused> fuse(List<Detection> boxes, float iou) {
        List<Detection> sorted = new ArrayList<>(boxes);
        sorted.sort(Comparator.comparingDouble((Detection d) -> d.score()).reversed());
        List<Cluster> clusters = new ArrayList<>();
        for (Detection d : sorted) {
            Cluster home = null;
            for (Cluster c : clusters) {
                if (c.classId == d.classId() && c.box().iou(d) >= iou) {
                    home = c;
                    break;
                }
            }
            if (home == null) {
                clusters.add(new Cluster(d));
            } else {
                home.add(d);
            }
        }
        List<Fused> out = new ArrayList<>(clusters.size());
        for (Cluster c : clusters) {
            out.add(new Fused(c.box(), c.count));
        }
        out.sort(Comparator.comparingDouble((Fused f) -> f.box().score()).reversed());
        return out;
    }

    private static final class Cluster {
        final int classId;
        final String label;
        final float best;
        double wx;
        double wy;
        double wr;
        double wb;
        double weight;
        int count;

        Cluster(Detection d) {
            classId = d.classId();
            label = d.label();
            best = d.score();
            add(d);
        }

        void add(Detection d) {
            double w = d.score();
            wx += w * d.x();
            wy += w * d.y();
            wr += w * d.right();
            wb += w * d.bottom();
            weight += w;
            count++;
        }

        Detection box() {
            float x = (float) (wx / weight);
            float y = (float) (wy / weight);
            return new Detection(classId, label, best, x, y, (float) (wr / weight) - x, (float) (wb / weight) - y);
        }
    }
}

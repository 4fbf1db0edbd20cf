package io.edgetune.annotator.internal;

import io.edgetune.api.detect.Detection;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Temporal consistency between neighbouring samples of one camera (close
 * enough in time that objects moved little; the caller passes null for a
 * neighbour that is missing or too far away):
 * <ul>
 * <li>a box at or above the final threshold stays;</li>
 * <li>a weaker box (down to the detector's pass threshold) stays, with its own
 *     score, when a final-strength box of its class in the previous or next
 *     sample overlaps it by at least the IoU, or when it overlaps by at least the
 *     IoU a gateway box of its class whose track id the gateway also reported in
 *     the previous or next sample (the gateway's tracker followed the object
 *     across the frames); otherwise it is dropped;</li>
 * <li>an object that both neighbours label at final strength, overlapping each
 *     other by at least the IoU, but that has no box of its class here, is
 *     filled in: the mean of the two boxes, with the weaker neighbour's score.</li>
 * </ul>
 */
public final class TemporalCheck {

    private final float finalThreshold;
    private final float matchIou;

    public TemporalCheck(float finalThreshold, float matchIou) {
        this.finalThreshold = finalThreshold;
        this.matchIou = matchIou;
    }

    /**
     * The result and how it came about.
     *
     * @param confirmed weak boxes kept, by either rule
     * @param byTrack   of those, the ones only the gateway's track continuity kept
     */
    public record Result(List<Detection> labels, int confirmed, int dropped, int filled, int byTrack) {

        public Result(List<Detection> labels, int confirmed, int dropped, int filled) {
            this(labels, confirmed, dropped, filled, 0);
        }
    }

    /**
     * The gateway's boxes of the current sample with their track ids (parallel;
     * 0: not tracked) and the track ids the gateway reported in the neighbouring
     * samples that the check looks at.
     */
    public record Tracks(List<Detection> edge, long[] trackIds, Set<Long> neighbourIds) {

        static final Tracks NONE = new Tracks(List.of(), new long[0], Set.of());

        public Tracks {
            if (edge.size() != trackIds.length) {
                throw new IllegalArgumentException(edge.size() + " gateway boxes but " + trackIds.length + " track ids");
            }
        }
    }

    public Result apply(List<Detection> previous, List<Detection> current, List<Detection> next) {
        return apply(previous, current, next, Tracks.NONE);
    }

    /** As {@link #apply(List, List, List)}, also confirming weak boxes by the gateway's track continuity. */
    public Result apply(List<Detection> previous, List<Detection> current, List<Detection> next, Tracks tracks) {
        List<Detection> continued = new ArrayList<>();
        for (int i = 0; i < tracks.edge().size(); i++) {
            long id = tracks.trackIds()[i];
            if (id > 0 && tracks.neighbourIds().contains(id)) {
                continued.add(tracks.edge().get(i));
            }
        }
        List<Detection> prevStrong = strong(previous);
        List<Detection> nextStrong = strong(next);
        List<Detection> out = new ArrayList<>();
        int confirmed = 0;
        int dropped = 0;
        int byTrack = 0;
        for (Detection d : current) {
            if (d.score() >= finalThreshold) {
                out.add(d);
            } else if (matches(d, prevStrong) != null || matches(d, nextStrong) != null) {
                out.add(d);
                confirmed++;
            } else if (matches(d, continued) != null) {
                out.add(d);
                confirmed++;
                byTrack++;
            } else {
                dropped++;
            }
        }
        int filled = 0;
        for (Detection p : prevStrong) {
            Detection n = matches(p, nextStrong);
            if (n == null) {
                continue;
            }
            Detection between = new Detection(p.classId(), p.label(), Math.min(p.score(), n.score()),
                    (p.x() + n.x()) / 2, (p.y() + n.y()) / 2, (p.width() + n.width()) / 2, (p.height() + n.height()) / 2);
            if (matches(between, out) == null) {
                out.add(between);
                filled++;
            }
        }
        return new Result(out, confirmed, dropped, filled, byTrack);
    }

    private List<Detection> strong(List<Detection> l) {
        List<Detection> s = new ArrayList<>();
        if (l != null) {
            for (Detection d : l) {
                if (d.score() >= finalThreshold) {
                    s.add(d);
                }
            }
        }
        return s;
    }

    /** The best-overlapping box of the same class at or above the IoU, or null. */
    private Detection matches(Detection d, List<Detection> others) {
        Detection best = null;
        float bestIou = matchIou;
        for (Detection o : others) {
            if (o.classId() == d.classId()) {
                float iou = o.iou(d);
                if (iou >= bestIou) {
                    best = o;
                    bestIou = iou;
                }
            }
        }
        return best;
    }
}

package io.edgetune.annotator.teacher;

import io.edgetune.api.detect.Detection;
import io.edgetune.api.detect.DetectionException;
import io.edgetune.api.detect.Detections;
import io.edgetune.api.detect.DetectorService;
import io.edgetune.api.frame.Frame;
import io.edgetune.api.motion.Region;
import java.util.ArrayList;
import java.util.List;

/**
 * The reference labeller: the same detector the gateway runs, but on the full
 * frame AND on overlapping native-resolution tiles (optionally also smaller
 * tiles upscaled to the input), fused by {@link BoxFusion}.
 *
 * <p>It drives the shared {@link DetectorService} one tile at a time, so boxes
 * cut off by a tile's inner edge can be recognised and dropped (the neighbouring
 * tile or the full frame sees that object whole). The service must run in
 * REGIONS mode (in FULL_FRAME mode it ignores tiles); its score threshold is the
 * per-pass threshold, so configure it lower than {@link TeacherSettings#finalThreshold()}.
 */
public final class Teacher {

    private final DetectorService detector;
    private final TeacherSettings settings;

    public Teacher(DetectorService detector, TeacherSettings settings) {
        this.detector = detector;
        this.settings = settings;
    }

    /**
     * Everything the passes found, fused, best first (scores down to the
     * detector's own threshold); {@link Labels#finalLabels()} keeps those at or
     * above the final threshold.
     */
    public Labels label(Frame frame) throws DetectionException {
        long start = System.nanoTime();
        List<Detection> all = new ArrayList<>();
        Detections full = detector.detect(frame, List.of());
        all.addAll(full.detections());
        int passes = 1;
        int dropped = 0;
        List<Region> tiles = new ArrayList<>(Tiling.tiles(frame.width(), frame.height(), settings.tileSize(), settings.tileOverlap()));
        if (settings.smallTileSize() > 0) {
            tiles.addAll(Tiling.tiles(frame.width(), frame.height(), settings.smallTileSize(), settings.smallTileOverlap()));
        }
        for (Region tile : tiles) {
            Detections d = detector.detect(frame, List.of(tile));
            if (d.mode() != Detections.Mode.REGIONS || d.regions().size() != 1) {
                throw new DetectionException("the detector ignored the tile (mode " + d.mode()
                        + "): configure it in REGIONS mode for the annotator");
            }
            passes++;
            Region ran = d.regions().get(0);
            for (Detection det : d.detections()) {
                if (cutByInnerEdge(det, ran, frame.width(), frame.height())) {
                    dropped++;
                } else {
                    all.add(det);
                }
            }
        }
        List<BoxFusion.Fused> fused = BoxFusion.fuse(all, settings.fuseIou());
        return new Labels(fused, settings.finalThreshold(), passes, all.size(), dropped, System.nanoTime() - start);
    }

    /** True when the box touches an edge of the tile that is not also an edge of the frame. */
    boolean cutByInnerEdge(Detection d, Region tile, int frameWidth, int frameHeight) {
        int m = settings.edgeMargin();
        return (tile.x() > 0 && d.x() <= tile.x() + m)
                || (tile.y() > 0 && d.y() <= tile.y() + m)
                || (tile.right() < frameWidth && d.right() >= tile.right() - m)
                || (tile.bottom() < frameHeight && d.bottom() >= tile.bottom() - m);
    }

    public TeacherSettings settings() {
        return settings;
    }

    /**
     * The teacher's answer for one frame.
     *
     * @param candidates fused objects, best first, down to the detector's threshold
     * @param passes     detector runs (full frame + tiles)
     * @param boxes      pass boxes that went into the fusion
     * @param cutBoxes   tile boxes dropped because a tile edge cut them
     */
    public record Labels(List<BoxFusion.Fused> candidates, float finalThreshold, int passes, int boxes, int cutBoxes, long nanos) {

        /** Every fused box down to the detector's threshold, best first (input of the temporal check). */
        public List<Detection> all() {
            List<Detection> out = new ArrayList<>(candidates.size());
            for (BoxFusion.Fused f : candidates) {
                out.add(f.box());
            }
            return out;
        }

        public List<Detection> finalLabels() {
            List<Detection> out = new ArrayList<>();
            for (BoxFusion.Fused f : candidates) {
                if (f.box().score() >= finalThreshold) {
                    out.add(f.box());
                }
            }
            return out;
        }
    }
}

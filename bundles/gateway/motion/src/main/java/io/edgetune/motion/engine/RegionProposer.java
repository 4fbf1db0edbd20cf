package io.edgetune.motion.engine;

import io.edgetune.api.motion.Region;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns moving areas into crops the detector can take: each area grows into
 * a crop with the detector's aspect ratio and at least the minimum size,
 * overlapping crops merge, the count is capped, and when the crops would
 * cover most of the frame the full frame is cheaper. Pure Java.
 */
public final class RegionProposer {

    private final double aspect;
    private final int minSize;
    private final double padding;
    private final int maxRegions;
    private final double fullFrameFraction;

    public RegionProposer(MotionSettings s) {
        this(s.cropAspect(), s.minCropSize(), s.cropPadding(), s.maxRegions(), s.fullFrameFraction());
    }

    public RegionProposer(double aspect, int minSize, double padding, int maxRegions, double fullFrameFraction) {
        this.aspect = aspect;
        this.minSize = minSize;
        this.padding = padding;
        this.maxRegions = maxRegions;
        this.fullFrameFraction = fullFrameFraction;
    }

    /** Crops for these moving areas, or the single full-frame region (see {@link #isFullFrame}). */
    public List<Region> propose(List<Region> moving, int frameWidth, int frameHeight) {
        List<Region> crops = new ArrayList<>(moving.size());
        for (Region m : moving) {
            crops.add(crop(pad(m), frameWidth, frameHeight));
        }
        mergeOverlapping(crops, frameWidth, frameHeight);
        while (crops.size() > maxRegions) {
            mergeCheapestPair(crops, frameWidth, frameHeight);
            mergeOverlapping(crops, frameWidth, frameHeight);
        }
        long covered = 0;
        for (Region c : crops) {
            covered += c.area();
        }
        if (!crops.isEmpty() && covered >= fullFrameFraction * frameWidth * frameHeight) {
            return List.of(new Region(0, 0, frameWidth, frameHeight));
        }
        return crops;
    }

    public static boolean isFullFrame(List<Region> regions, int frameWidth, int frameHeight) {
        return regions.size() == 1 && regions.get(0).x() == 0 && regions.get(0).y() == 0
                && regions.get(0).width() == frameWidth && regions.get(0).height() == frameHeight;
    }

    private Region pad(Region r) {
        int px = (int) Math.round(r.width() * padding);
        int py = (int) Math.round(r.height() * padding);
        return new Region(r.x() - px, r.y() - py, r.width() + 2 * px, r.height() + 2 * py);
    }

    /** The smallest crop with the detector's aspect ratio and at least the minimum size around r, kept inside the frame. */
    Region crop(Region r, int fw, int fh) {
        double w = Math.max(r.width(), r.height() * aspect);
        double h = w / aspect;
        double minH = aspect >= 1 ? minSize : minSize / aspect;
        if (h < minH) {
            h = minH;
            w = h * aspect;
        }
        // a crop larger than the frame is clipped; the detector resizes it anyway
        int cw = (int) Math.min(fw, Math.ceil(w));
        int ch = (int) Math.min(fh, Math.ceil(h));
        double cx = r.x() + r.width() / 2.0;
        double cy = r.y() + r.height() / 2.0;
        int x = (int) Math.round(cx - cw / 2.0);
        int y = (int) Math.round(cy - ch / 2.0);
        // shift, rather than shrink, a crop that sticks out of the frame
        x = Math.max(0, Math.min(x, fw - cw));
        y = Math.max(0, Math.min(y, fh - ch));
        return new Region(x, y, cw, ch);
    }

    private void mergeOverlapping(List<Region> crops, int fw, int fh) {
        boolean merged = true;
        while (merged) {
            merged = false;
            outer:
            for (int i = 0; i < crops.size(); i++) {
                for (int j = i + 1; j < crops.size(); j++) {
                    if (crops.get(i).intersects(crops.get(j))) {
                        Region u = crop(crops.get(i).union(crops.get(j)), fw, fh);
                        crops.remove(j);
                        crops.set(i, u);
                        merged = true;
                        break outer;
                    }
                }
            }
        }
    }

    private void mergeCheapestPair(List<Region> crops, int fw, int fh) {
        int bi = 0;
        int bj = 1;
        long best = Long.MAX_VALUE;
        for (int i = 0; i < crops.size(); i++) {
            for (int j = i + 1; j < crops.size(); j++) {
                long grown = crop(crops.get(i).union(crops.get(j)), fw, fh).area() - crops.get(i).area() - crops.get(j).area();
                if (grown < best) {
                    best = grown;
                    bi = i;
                    bj = j;
                }
            }
        }
        Region u = crop(crops.get(bi).union(crops.get(bj)), fw, fh);
        crops.remove(bj);
        crops.set(bi, u);
    }
}

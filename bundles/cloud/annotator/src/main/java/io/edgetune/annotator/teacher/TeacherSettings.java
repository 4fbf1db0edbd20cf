package io.edgetune.annotator.teacher;

/**
 * How hard the teacher looks at a frame.
 *
 * @param tileSize          side of the native-resolution tiles in frame pixels (the model's input side: no scaling)
 * @param tileOverlap       fraction of a tile shared with its neighbour (0 to 0.9)
 * @param smallTileSize     side of the extra tiles that are upscaled to the input for small objects; 0 turns them off
 * @param smallTileOverlap  overlap of those tiles
 * @param fuseIou           boxes of one class overlapping at least this much are one object
 * @param edgeMargin        a tile box this close to an inner tile edge is cut off by the tile and dropped
 * @param finalThreshold    score a fused box needs to become a label
 */
public record TeacherSettings(int tileSize, double tileOverlap, int smallTileSize, double smallTileOverlap,
                              float fuseIou, int edgeMargin, float finalThreshold) {

    public TeacherSettings {
        if (tileSize < 16 || (smallTileSize != 0 && smallTileSize < 16)) {
            throw new IllegalArgumentException("tile sizes must be at least 16 pixels (or 0 for no small tiles): " + tileSize + ", " + smallTileSize);
        }
        if (tileOverlap < 0 || tileOverlap > 0.9 || smallTileOverlap < 0 || smallTileOverlap > 0.9) {
            throw new IllegalArgumentException("tile overlap must be within [0, 0.9]: " + tileOverlap + ", " + smallTileOverlap);
        }
        if (fuseIou <= 0 || fuseIou >= 1 || finalThreshold < 0 || finalThreshold > 1) {
            throw new IllegalArgumentException("fuse IoU must be in (0,1) and the final threshold in [0,1]: " + fuseIou + ", " + finalThreshold);
        }
    }

    /** 300-pixel tiles with half overlap (the model's input at native resolution), no upscaled tiles. */
    public static TeacherSettings defaults() {
        return new TeacherSettings(300, 0.5, 0, 0.34, 0.55f, 2, 0.5f);
    }

    public TeacherSettings withSmallTiles(int size, double overlap) {
        return new TeacherSettings(tileSize, tileOverlap, size, overlap, fuseIou, edgeMargin, finalThreshold);
    }

    public TeacherSettings withFinalThreshold(float t) {
        return new TeacherSettings(tileSize, tileOverlap, smallTileSize, smallTileOverlap, fuseIou, edgeMargin, t);
    }
}

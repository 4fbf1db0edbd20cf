package io.edgetune.api.motion;

/** An axis-aligned pixel rectangle in full-frame coordinates. */
public record Region(int x, int y, int width, int height) {

    public Region {
        if (width < 0 || height < 0) {
            throw new IllegalArgumentException("negative region size " + width + "x" + height);
        }
    }

    public int right() {
        return x + width;
    }

    public int bottom() {
        return y + height;
    }

    public long area() {
        return (long) width * height;
    }

    public boolean intersects(Region o) {
        return x < o.right() && o.x < right() && y < o.bottom() && o.y < bottom();
    }

    public Region union(Region o) {
        int nx = Math.min(x, o.x);
        int ny = Math.min(y, o.y);
        return new Region(nx, ny, Math.max(right(), o.right()) - nx, Math.max(bottom(), o.bottom()) - ny);
    }

    public long intersectionArea(Region o) {
        long w = Math.min(right(), o.right()) - Math.max(x, o.x);
        long h = Math.min(bottom(), o.bottom()) - Math.max(y, o.y);
        return w <= 0 || h <= 0 ? 0 : w * h;
    }

    /** Intersection over union, 0 when disjoint. */
    public double iou(Region o) {
        long inter = intersectionArea(o);
        return inter == 0 ? 0 : (double) inter / (area() + o.area() - inter);
    }
}

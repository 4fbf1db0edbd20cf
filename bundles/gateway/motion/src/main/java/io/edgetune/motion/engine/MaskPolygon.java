package io.edgetune.motion.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * An area motion ignores (a clock overlay, a tree in the wind). Points are
 * fractions of the frame width and height (0..1), so a mask survives a
 * change of decode resolution.
 */
public record MaskPolygon(double[] xs, double[] ys) {

    public MaskPolygon {
        if (xs.length != ys.length || xs.length < 3) {
            throw new IllegalArgumentException("a mask polygon needs at least 3 points");
        }
        xs = xs.clone();
        ys = ys.clone();
    }

    public int size() {
        return xs.length;
    }

    /**
     * Parses "x1,y1 x2,y2 x3,y3; x1,y1 ..." : polygons separated by ';',
     * points by spaces, coordinates by ','. Every coordinate is a fraction in
     * 0..1 of the frame width (x) or height (y). Empty text: no masks.
     */
    public static List<MaskPolygon> parse(String text) {
        List<MaskPolygon> out = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        int index = 0;
        for (String polygon : text.split(";")) {
            index++;
            if (polygon.isBlank()) {
                continue;
            }
            String[] points = polygon.trim().split("\\s+");
            double[] xs = new double[points.length];
            double[] ys = new double[points.length];
            for (int i = 0; i < points.length; i++) {
                String[] xy = points[i].split(",");
                if (xy.length != 2) {
                    throw new IllegalArgumentException("mask " + index + ": point '" + points[i] + "' is not x,y");
                }
                try {
                    xs[i] = Double.parseDouble(xy[0].trim());
                    ys[i] = Double.parseDouble(xy[1].trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("mask " + index + ": point '" + points[i] + "' is not a pair of numbers");
                }
                if (xs[i] < 0 || xs[i] > 1 || ys[i] < 0 || ys[i] > 1) {
                    throw new IllegalArgumentException("mask " + index + ": point '" + points[i]
                            + "' is outside 0..1 (coordinates are fractions of the frame width and height)");
                }
            }
            if (points.length < 3) {
                throw new IllegalArgumentException("mask " + index + ": a polygon needs at least 3 points, got " + points.length);
            }
            out.add(new MaskPolygon(xs, ys));
        }
        return out;
    }
}

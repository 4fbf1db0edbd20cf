package io.edgetune.tracker.engine;

import io.edgetune.api.track.Zone;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Zone definitions as a person types them in the web console, and the checks
 * that refuse bad ones.
 *
 * <p>One zone: {@code camera:name=x,y;x,y;x,y[;...]}, full-frame pixels, the
 * points in drawing order (the polygon closes itself). Several zones go into
 * several values of the property, or into one value separated by {@code |} or
 * new lines; spaces are ignored. Example:
 * {@code plaza:entrance=0,300;380,300;380,576;0,576|plaza:crossing=400,250;767,250;767,450;400,450}.
 *
 * <p>Refused, each with a message that names the zone: no camera or name, a
 * name used twice on one camera, fewer than three points, a coordinate that is
 * not a number or is negative, a polygon without area, edges that cross each
 * other, and (when the frame size is known, {@link #checkInside}) a point
 * outside the frame. Stateless; safe from any thread.
 */
public final class Zones {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    private Zones() {
    }

    /**
     * The zones by camera, in their order of definition.
     *
     * @throws IllegalArgumentException on the first bad definition, e.g.
     *     {@code "zone plaza:entrance: edges 1 and 3 cross (the polygon intersects itself)"}
     */
    public static Map<String, List<Zone>> parse(String... values) {
        Map<String, List<Zone>> out = new LinkedHashMap<>();
        if (values == null) {
            return out;
        }
        for (String value : values) {
            if (value == null) {
                continue;
            }
            for (String entry : value.split("[|\\r\\n]")) {
                String e = entry.replaceAll("\\s", "");
                if (e.isEmpty()) {
                    continue;
                }
                Zone z = parseOne(e);
                List<Zone> list = out.computeIfAbsent(z.cameraId(), k -> new ArrayList<>());
                for (Zone other : list) {
                    if (other.name().equals(z.name())) {
                        throw new IllegalArgumentException("zone " + label(z) + " is defined twice");
                    }
                }
                list.add(z);
            }
        }
        return out;
    }

    private static Zone parseOne(String e) {
        int colon = e.indexOf(':');
        int eq = e.indexOf('=');
        if (colon <= 0 || eq < colon + 2) {
            throw new IllegalArgumentException("zone '" + e + "' must be written camera:name=x,y;x,y;x,y");
        }
        String camera = e.substring(0, colon);
        String name = e.substring(colon + 1, eq);
        String where = camera + ":" + name;
        if (!NAME.matcher(camera).matches() || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("zone " + where
                    + ": camera and zone names are letters, digits, '_', '.' or '-' (at most 64)");
        }
        String body = e.substring(eq + 1);
        if (body.isEmpty()) {
            throw new IllegalArgumentException("zone " + where + " is empty: give at least three points x,y;x,y;x,y");
        }
        List<Float> pts = new ArrayList<>();
        for (String pt : body.split(";")) {
            if (pt.isEmpty()) {
                continue;
            }
            String[] xy = pt.split(",");
            if (xy.length != 2) {
                throw new IllegalArgumentException("zone " + where + ": point '" + pt + "' must be x,y");
            }
            for (String c : xy) {
                float f;
                try {
                    f = Float.parseFloat(c);
                } catch (NumberFormatException ex) {
                    throw new IllegalArgumentException("zone " + where + ": '" + c + "' in point '" + pt + "' is not a number");
                }
                if (!Float.isFinite(f) || f < 0) {
                    throw new IllegalArgumentException("zone " + where + ": point '" + pt
                            + "' is outside the frame (coordinates are pixels from the top left corner, 0 or more)");
                }
                pts.add(f);
            }
        }
        Zone z = new Zone(camera, name, List.copyOf(pts));
        checkShape(z);
        return z;
    }

    /** Refuses fewer than three points, no area and crossing edges. */
    public static void checkShape(Zone z) {
        List<Float> p = z.points();
        int n = p.size() / 2;
        if (n < 3) {
            throw new IllegalArgumentException("zone " + label(z) + " has " + n + " point" + (n == 1 ? "" : "s")
                    + ": a zone needs at least three");
        }
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                boolean adjacent = j == i + 1 || (i == 0 && j == n - 1);
                if (adjacent) {
                    if (n > 3 && sameEdgeBack(p, i, j, n)) {
                        throw new IllegalArgumentException("zone " + label(z) + ": edges " + (i + 1) + " and " + (j + 1)
                                + " overlap (the polygon intersects itself)");
                    }
                    continue;
                }
                if (segmentsTouch(p, i, (i + 1) % n, j, (j + 1) % n)) {
                    throw new IllegalArgumentException("zone " + label(z) + ": edges " + (i + 1) + " and " + (j + 1)
                            + " cross (the polygon intersects itself)");
                }
            }
        }
        // after the crossing check: a bow tie's two halves cancel out to no area
        if (Math.abs(area(z)) < 1e-3) {
            throw new IllegalArgumentException("zone " + label(z) + " has no area (its points are on one line)");
        }
    }

    /** Refuses a zone with a point outside a {@code width} x {@code height} frame. */
    public static void checkInside(Zone z, int width, int height) {
        List<Float> p = z.points();
        for (int i = 0; i + 1 < p.size(); i += 2) {
            if (p.get(i) > width || p.get(i + 1) > height) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "zone %s: point %s,%s is outside the %dx%d frame of camera %s", label(z), num(p.get(i)),
                        num(p.get(i + 1)), width, height, z.cameraId()));
            }
        }
    }

    /** Whether the point is inside the polygon (even-odd rule; points on an edge may fall either way). */
    public static boolean contains(Zone z, float x, float y) {
        List<Float> p = z.points();
        int n = p.size() / 2;
        boolean in = false;
        for (int i = 0, j = n - 1; i < n; j = i++) {
            float xi = p.get(2 * i);
            float yi = p.get(2 * i + 1);
            float xj = p.get(2 * j);
            float yj = p.get(2 * j + 1);
            if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) {
                in = !in;
            }
        }
        return in;
    }

    /** Signed area (shoelace). */
    static double area(Zone z) {
        List<Float> p = z.points();
        int n = p.size() / 2;
        double a = 0;
        for (int i = 0, j = n - 1; i < n; j = i++) {
            a += (double) p.get(2 * j) * p.get(2 * i + 1) - (double) p.get(2 * i) * p.get(2 * j + 1);
        }
        return a / 2;
    }

    /** Two adjacent edges that fold back onto each other (collinear, pointing back). */
    private static boolean sameEdgeBack(List<Float> p, int i, int j, int n) {
        // the shared point and the two far ends
        int shared = j == i + 1 ? j : i;
        int a = j == i + 1 ? i : (i + 1) % n;
        int b = j == i + 1 ? (j + 1) % n : j;
        double ax = p.get(2 * a) - p.get(2 * shared);
        double ay = p.get(2 * a + 1) - p.get(2 * shared + 1);
        double bx = p.get(2 * b) - p.get(2 * shared);
        double by = p.get(2 * b + 1) - p.get(2 * shared + 1);
        double cross = ax * by - ay * bx;
        return Math.abs(cross) < 1e-6 && ax * bx + ay * by > 0;
    }

    private static boolean segmentsTouch(List<Float> p, int a, int b, int c, int d) {
        double ax = p.get(2 * a), ay = p.get(2 * a + 1), bx = p.get(2 * b), by = p.get(2 * b + 1);
        double cx = p.get(2 * c), cy = p.get(2 * c + 1), dx = p.get(2 * d), dy = p.get(2 * d + 1);
        double d1 = orient(cx, cy, dx, dy, ax, ay);
        double d2 = orient(cx, cy, dx, dy, bx, by);
        double d3 = orient(ax, ay, bx, by, cx, cy);
        double d4 = orient(ax, ay, bx, by, dx, dy);
        if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) {
            return true;
        }
        return (d1 == 0 && onSegment(cx, cy, dx, dy, ax, ay)) || (d2 == 0 && onSegment(cx, cy, dx, dy, bx, by))
                || (d3 == 0 && onSegment(ax, ay, bx, by, cx, cy)) || (d4 == 0 && onSegment(ax, ay, bx, by, dx, dy));
    }

    private static double orient(double ax, double ay, double bx, double by, double cx, double cy) {
        return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
    }

    private static boolean onSegment(double ax, double ay, double bx, double by, double px, double py) {
        return Math.min(ax, bx) <= px && px <= Math.max(ax, bx) && Math.min(ay, by) <= py && py <= Math.max(ay, by);
    }

    private static String label(Zone z) {
        return z.cameraId() + ":" + z.name();
    }

    private static String num(float f) {
        return f == Math.rint(f) ? Long.toString((long) f) : Float.toString(f);
    }
}

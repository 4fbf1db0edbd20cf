package io.edgetune.api.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Checks of configuration values, each throwing an
 * {@link IllegalArgumentException} whose message names the property and says
 * what it must be, e.g. {@code "port must be 1..65535, not 70000"}. A
 * component calls them while it builds its settings, before it starts
 * anything, so a rejected configuration leaves nothing half started.
 *
 * <p>Stateless; safe from any thread.
 */
public final class ConfigValues {

    private ConfigValues() {
    }

    /** The value trimmed; {@code "<key> must not be empty"} when it is null or blank. */
    public static String required(String key, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(key + " must not be empty");
        }
        return value.trim();
    }

    /** {@code value} when {@code min <= value <= max}; else {@code "<key> must be <min>..<max>, not <value>"}. */
    public static int range(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(key + " must be " + min + ".." + max + ", not " + value);
        }
        return value;
    }

    /** {@code value} when {@code min <= value <= max} (NaN is outside); else {@code "<key> must be <min>..<max>, not <value>"}. */
    public static double range(String key, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(key + " must be " + number(min) + ".." + number(max) + ", not " + number(value));
        }
        return value;
    }

    /** {@code value} when {@code value >= min}; else {@code "<key> must be at least <min>, not <value>"}. */
    public static long atLeast(String key, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(key + " must be at least " + min + ", not " + value);
        }
        return value;
    }

    /** {@code value} when {@code value >= min} (NaN is not); else {@code "<key> must be at least <min>, not <value>"}. */
    public static double atLeast(String key, double value, double min) {
        if (!(value >= min)) {
            throw new IllegalArgumentException(key + " must be at least " + number(min) + ", not " + number(value));
        }
        return value;
    }

    /** {@code value} when {@code value >= min}; else {@code "<key> must be at least <min>, not <value>"}. */
    public static int atLeast(String key, int value, int min) {
        return (int) atLeast(key, (long) value, (long) min);
    }

    /**
     * The allowed value that {@code value} names (trimmed, any case), or
     * {@code "<key> must be a, b or c, not '<value>'"}.
     */
    public static String oneOf(String key, String value, String... allowed) {
        String v = value == null ? "" : value.trim();
        for (String a : allowed) {
            if (a.equalsIgnoreCase(v)) {
                return a;
            }
        }
        throw new IllegalArgumentException(key + " must be " + choices(allowed) + ", not '" + v + "'");
    }

    /** {@code value} when it is one of {@code allowed}; else {@code "<key> must be 0, 1 or 2, not <value>"}. */
    public static int oneOf(String key, int value, int... allowed) {
        String[] names = new String[allowed.length];
        for (int i = 0; i < allowed.length; i++) {
            if (allowed[i] == value) {
                return value;
            }
            names[i] = Integer.toString(allowed[i]);
        }
        throw new IllegalArgumentException(key + " must be " + choices(names) + ", not " + value);
    }

    /**
     * The entries of a comma-separated list, trimmed, empty entries left out,
     * in their order (duplicates kept); null or blank is the empty list.
     */
    public static List<String> list(String value) {
        List<String> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        for (String s : value.split(",")) {
            String t = s.trim();
            if (!t.isEmpty()) {
                out.add(t);
            }
        }
        return out;
    }

    private static String choices(String[] allowed) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < allowed.length; i++) {
            if (i > 0) {
                sb.append(i == allowed.length - 1 ? " or " : ", ");
            }
            sb.append(allowed[i]);
        }
        return sb.toString();
    }

    /** 2.0 as 2, 0.5 as 0.5: the way the MetaType min and max are written. */
    private static String number(double d) {
        return d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15
                ? Long.toString((long) d) : String.format(Locale.ROOT, "%s", d);
    }
}

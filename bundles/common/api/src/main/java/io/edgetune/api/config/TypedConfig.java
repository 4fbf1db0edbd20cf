package io.edgetune.api.config;

import java.lang.annotation.Annotation;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A property map seen through a component's typed configuration interface
 * (a DS 1.4 component property type, e.g. an {@code @ObjectClassDefinition}
 * annotation), for code that runs without Service Component Runtime: tests
 * and tools build a component's settings from the same interface the
 * component reads, so every key and default is written once, in that
 * interface.
 *
 * <p>Follows the DS 1.4 rules: method {@code websocket_port()} reads property
 * {@code websocket.port} ({@code __} is {@code _}, {@code $$} is {@code $},
 * {@code $_$} is {@code -}, a single {@code $} is dropped); a missing property
 * takes the method's default (null, 0 or false without one); a list or array
 * gives its first element to a single-valued method; strings convert as SCR
 * converts them ({@code Integer.parseInt}, {@code Boolean.parseBoolean}).
 * Unlike SCR, a value that does not convert is reported when the view is
 * made, naming the property: {@code "port must be an integer, not 'abc'"}.
 *
 * <p>The view is immutable; safe from any thread.
 */
public final class TypedConfig {

    private TypedConfig() {
    }

    /**
     * The view of {@code properties} through {@code type}.
     *
     * @throws IllegalArgumentException when a property cannot be converted to its method's type
     */
    public static <A extends Annotation> A of(Class<A> type, Map<String, ?> properties) {
        if (!type.isAnnotation()) {
            throw new IllegalArgumentException(type.getName() + " is not an annotation type");
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (Method m : type.getDeclaredMethods()) {
            String key = propertyName(m.getName());
            Object raw = properties.get(key);
            Object v = raw == null ? m.getDefaultValue() : convert(key, raw, m.getReturnType());
            values.put(m.getName(), v == null ? absent(m.getReturnType()) : v);
        }
        Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (self, method, args) -> {
            switch (method.getName()) {
                case "annotationType":
                    return type;
                case "toString":
                    return type.getSimpleName() + values.keySet();
                case "hashCode":
                    return System.identityHashCode(self);
                case "equals":
                    return self == args[0];
                default:
                    Object v = values.get(method.getName());
                    return v != null && v.getClass().isArray() ? copy(v) : v;
            }
        });
        return type.cast(proxy);
    }

    /** The property a component property type method reads (DS 1.4, 112.8.2.1). */
    public static String propertyName(String method) {
        StringBuilder sb = new StringBuilder(method.length());
        int n = method.length();
        for (int i = 0; i < n; i++) {
            char c = method.charAt(i);
            if (c == '$') {
                if (i + 2 < n && method.charAt(i + 1) == '_' && method.charAt(i + 2) == '$') {
                    sb.append('-');
                    i += 2;
                } else if (i + 1 < n && method.charAt(i + 1) == '$') {
                    sb.append('$');
                    i++;
                }
            } else if (c == '_') {
                if (i + 1 < n && method.charAt(i + 1) == '_') {
                    sb.append('_');
                    i++;
                } else {
                    sb.append('.');
                }
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static Object convert(String key, Object raw, Class<?> target) {
        if (target.isArray()) {
            Object[] items = raw instanceof Collection<?> c ? c.toArray()
                    : raw.getClass().isArray() && !(raw instanceof char[]) ? boxed(raw) : new Object[] {raw};
            Object out = Array.newInstance(target.getComponentType(), items.length);
            for (int i = 0; i < items.length; i++) {
                Array.set(out, i, convert(key, items[i], target.getComponentType()));
            }
            return out;
        }
        Object v = raw;
        if (v instanceof Collection<?> c) {
            v = c.isEmpty() ? null : c.iterator().next();
        } else if (v.getClass().isArray() && !(v instanceof char[])) {
            v = Array.getLength(v) == 0 ? null : Array.get(v, 0);
        }
        if (v == null) {
            return null;
        }
        if (target == String.class) {
            return v instanceof char[] c ? new String(c) : v.toString();
        }
        if (target == boolean.class || target == Boolean.class) {
            return v instanceof Boolean b ? b : Boolean.parseBoolean(v.toString());
        }
        if (target.isEnum()) {
            for (Object constant : target.getEnumConstants()) {
                if (((Enum<?>) constant).name().equals(v.toString())) {
                    return constant;
                }
            }
            throw new IllegalArgumentException(key + " must be one of " + java.util.Arrays.toString(target.getEnumConstants())
                    + ", not '" + v + "'");
        }
        Numeric numeric = NUMERIC.get(target);
        if (numeric != null) {
            if (v instanceof Number num) {
                return numeric.of().apply(num);
            }
            try {
                return numeric.parse().apply(v.toString());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + " must be " + (numeric.integral() ? "an integer" : "a number")
                        + ", not '" + v + "'");
            }
        }
        String s = v.toString();
        if ((target == char.class || target == Character.class) && s.length() > 0) {
            return s.charAt(0);
        }
        throw new IllegalArgumentException(key + ": a " + target.getSimpleName() + " cannot be read from '" + s + "'");
    }

    /** How a number type is read from a string (as SCR reads it) and from another number. */
    private record Numeric(Function<String, Object> parse, Function<Number, Object> of, boolean integral) {
    }

    private static final Map<Class<?>, Numeric> NUMERIC = numericTypes();

    private static Map<Class<?>, Numeric> numericTypes() {
        Map<Class<?>, Numeric> m = new HashMap<>();
        put(m, new Numeric(Integer::valueOf, Number::intValue, true), int.class, Integer.class);
        put(m, new Numeric(Long::valueOf, Number::longValue, true), long.class, Long.class);
        put(m, new Numeric(Short::valueOf, Number::shortValue, true), short.class, Short.class);
        put(m, new Numeric(Byte::valueOf, Number::byteValue, true), byte.class, Byte.class);
        put(m, new Numeric(Double::valueOf, Number::doubleValue, false), double.class, Double.class);
        put(m, new Numeric(Float::valueOf, Number::floatValue, false), float.class, Float.class);
        return Map.copyOf(m);
    }

    private static void put(Map<Class<?>, Numeric> m, Numeric n, Class<?> primitive, Class<?> boxed) {
        m.put(primitive, n);
        m.put(boxed, n);
    }

    /** What SCR returns for a property that is neither set nor defaulted. */
    private static Object absent(Class<?> type) {
        if (type.isArray()) {
            return Array.newInstance(type.getComponentType(), 0);
        }
        if (!type.isPrimitive()) {
            return null;
        }
        if (type == boolean.class) {
            return false;
        }
        if (type == char.class) {
            return (char) 0;
        }
        return NUMERIC.get(type).of().apply(0);
    }

    private static Object[] boxed(Object array) {
        Object[] out = new Object[Array.getLength(array)];
        for (int i = 0; i < out.length; i++) {
            out[i] = Array.get(array, i);
        }
        return out;
    }

    private static Object copy(Object array) {
        int n = Array.getLength(array);
        Object out = Array.newInstance(array.getClass().getComponentType(), n);
        System.arraycopy(array, 0, out, 0, n);
        return out;
    }
}

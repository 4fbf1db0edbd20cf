package io.edgetune.api.config;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.Test;

public class TypedConfigTest {

    @interface Settings {
        String host() default "127.0.0.1";

        int websocket_port() default 8080;

        boolean persistence_enabled() default true;

        double max_rate() default 2.0;

        long budget__bytes() default 5L;

        String kura_service_pid();

        String[] labels() default {"a"};

        int missing();
    }

    @Test
    public void methodNamesReadTheirDs14PropertyNames() {
        String[][] methodAndProperty = {{"websocket_port", "websocket.port"}, {"budget__bytes", "budget_bytes"},
            {"a$$b", "a$b"}, {"a$b", "ab"}, {"my$_$name", "my-name"}, {"CloudPublisher_target", "CloudPublisher.target"}};
        for (String[] c : methodAndProperty) {
            assertEquals(c[0], c[1], TypedConfig.propertyName(c[0]));
        }
    }

    @Test
    public void anEmptyMapGivesTheDefaultsOfTheInterface() {
        Settings s = TypedConfig.of(Settings.class, Map.of());
        assertEquals("127.0.0.1", s.host());
        assertEquals(8080, s.websocket_port());
        assertTrue(s.persistence_enabled());
        assertEquals(2.0, s.max_rate(), 0);
        assertEquals(5L, s.budget__bytes());
        assertNull("no default and not set: null, as SCR gives", s.kura_service_pid());
        assertEquals(0, s.missing());
        assertArrayEquals(new String[] {"a"}, s.labels());
        assertEquals(Settings.class, s.annotationType());
    }

    @Test
    public void stringsAndNumbersConvertAsScrConvertsThem() {
        Settings s = TypedConfig.of(Settings.class, Map.of("host", "0.0.0.0", "websocket.port", "9001",
                "persistence.enabled", "false", "max.rate", 3, "budget_bytes", "7", "kura.service.pid", "edgetune-status",
                "labels", List.of("Person", "Car"), "missing", new String[] {"4", "5"}));
        assertEquals("0.0.0.0", s.host());
        assertEquals(9001, s.websocket_port());
        assertFalse(s.persistence_enabled());
        assertEquals(3.0, s.max_rate(), 0);
        assertEquals(7L, s.budget__bytes());
        assertEquals("edgetune-status", s.kura_service_pid());
        assertArrayEquals(new String[] {"Person", "Car"}, s.labels());
        assertEquals("a multi-valued property gives its first value to a single-valued method", 4, s.missing());
    }

    @Test
    public void aValueThatIsNotANumberIsRefusedNamingItsProperty() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TypedConfig.of(Settings.class, Map.of("websocket.port", "eighty")));
        assertEquals("websocket.port must be an integer, not 'eighty'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TypedConfig.of(Settings.class, Map.of("max.rate", "fast")));
        assertEquals("max.rate must be a number, not 'fast'", e.getMessage());
    }

    @Test
    public void arraysHandedOutAreCopies() {
        Settings s = TypedConfig.of(Settings.class, Map.of("labels", new String[] {"x"}));
        s.labels()[0] = "changed";
        assertEquals("x", s.labels()[0]);
    }
}

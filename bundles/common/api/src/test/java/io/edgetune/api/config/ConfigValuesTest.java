package io.edgetune.api.config;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.util.List;
import org.junit.Test;

public class ConfigValuesTest {

    private static String refusal(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    public void rangesAcceptTheirBoundsAndNameWhatIsOutside() {
        assertEquals(1, ConfigValues.range("port", 1, 1, 65535));
        assertEquals(65535, ConfigValues.range("port", 65535, 1, 65535));
        assertEquals("port must be 1..65535, not 70000", refusal(() -> ConfigValues.range("port", 70000, 1, 65535)));
        assertEquals("port must be 1..65535, not 0", refusal(() -> ConfigValues.range("port", 0, 1, 65535)));
        assertEquals(0.5, ConfigValues.range("score.threshold", 0.5, 0, 1), 0);
        assertEquals("score.threshold must be 0..1, not 1.5", refusal(() -> ConfigValues.range("score.threshold", 1.5, 0, 1)));
        assertEquals("score.threshold must be 0..1, not NaN", refusal(() -> ConfigValues.range("score.threshold", Double.NaN, 0, 1)));
        assertEquals("crop.aspect must be 0.1..10, not 12", refusal(() -> ConfigValues.range("crop.aspect", 12, 0.1, 10)));
    }

    @Test
    public void lowerBoundsNameTheMinimum() {
        assertEquals(1024, ConfigValues.atLeast("max.message.bytes", 1024, 1024));
        assertEquals("max.message.bytes must be at least 1024, not 10",
                refusal(() -> ConfigValues.atLeast("max.message.bytes", 10, 1024)));
        assertEquals("budget must be at least 1, not 0", refusal(() -> ConfigValues.atLeast("budget", 0L, 1L)));
        assertEquals(0.01, ConfigValues.atLeast("max.rate", 0.01, 0.01), 0);
        assertEquals("max.rate must be at least 0.01, not 0", refusal(() -> ConfigValues.atLeast("max.rate", 0.0, 0.01)));
        assertEquals("max.rate must be at least 0.01, not NaN", refusal(() -> ConfigValues.atLeast("max.rate", Double.NaN, 0.01)));
    }

    @Test
    public void requiredValuesAreTrimmedAndMustNotBeBlank() {
        assertEquals("cam1", ConfigValues.required("camera.id", " cam1 "));
        assertEquals("camera.id must not be empty", refusal(() -> ConfigValues.required("camera.id", "  ")));
        assertEquals("camera.id must not be empty", refusal(() -> ConfigValues.required("camera.id", null)));
    }

    @Test
    public void choicesAreMatchedInAnyCaseAndListedWhenRefused() {
        assertEquals("control", ConfigValues.oneOf("message.type", " CONTROL ", "data", "control"));
        assertEquals("message.type must be data or control, not 'event'",
                refusal(() -> ConfigValues.oneOf("message.type", "event", "data", "control")));
        assertEquals(2, ConfigValues.oneOf("qos", 2, 0, 1, 2));
        assertEquals("qos must be 0, 1 or 2, not 3", refusal(() -> ConfigValues.oneOf("qos", 3, 0, 1, 2)));
    }

    @Test
    public void listsAreCommaSeparatedTrimmedAndSkipEmptyEntries() {
        assertEquals(List.of("Person", "Car", "Person"), ConfigValues.list(" Person, Car,,Person ,"));
        assertEquals(List.of(), ConfigValues.list(""));
        assertEquals(List.of(), ConfigValues.list(null));
        assertEquals(List.of(), ConfigValues.list(" , "));
    }
}

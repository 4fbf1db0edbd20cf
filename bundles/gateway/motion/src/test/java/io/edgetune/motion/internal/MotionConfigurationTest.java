package io.edgetune.motion.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;

import io.edgetune.api.config.TypedConfig;
import java.util.Map;
import org.junit.Test;

/**
 * A malformed motion configuration is refused with a message naming the
 * property; the component stays registered (the console still shows it) but
 * starts no worker and takes no frames.
 */
public class MotionConfigurationTest {

    private static MotionConfig config(Map<String, ?> properties) {
        return TypedConfig.of(MotionConfig.class, properties);
    }

    private static String refusal(Map<String, ?> properties) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MotionDetectorComponent.settings(config(properties)));
        return e.getMessage();
    }

    private static void assertNotStarted(Map<String, ?> properties) {
        MotionDetectorComponent c = new MotionDetectorComponent();
        c.activate(config(properties));
        assertNull("a refused configuration selects no camera", c.cameraId());
        assertEquals("no worker, so no skip ratio", -1, c.skipRatio(), 0);
        c.deactivate();
    }

    @Test
    public void badRangesChoicesAndMaskListsAreRefusedNamingTheProperty() {
        assertEquals("motion.height must be within 16..1080", refusal(Map.of("motion.height", 5)));
        assertEquals("model must be MOG2 or RUNNING_AVERAGE, was 'KNN'", refusal(Map.of("model", "KNN")));
        String mask = refusal(Map.of("masks", "0.1,0.1 0.2,0.2"));
        assertEquals(true, mask.contains("at least 3 points"));
    }

    @Test
    public void aRefusedConfigurationStartsNoWorker() {
        assertNotStarted(Map.of("camera.id", "cam1", "motion.height", 5));
        assertNotStarted(Map.of("camera.id", "  "));
        assertNotStarted(Map.of("camera.id", "cam1", "queue.size", 9));
        assertNotStarted(Map.of("camera.id", "cam1", "masks", "0.1,0.1 0.2,0.2"));
    }
}

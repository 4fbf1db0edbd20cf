package io.edgetune.inference.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.edgetune.api.config.TypedConfig;
import io.edgetune.api.detect.Detections;
import io.edgetune.inference.engine.DetectorSettings;
import io.edgetune.inference.engine.EngineOptions;
import java.util.Map;
import java.util.Set;
import org.junit.Test;

/** A malformed detector configuration is refused, naming the property, before any thread or engine exists. */
public class DetectorConfigurationTest {

    private static DetectorConfig config(Map<String, ?> properties) {
        return TypedConfig.of(DetectorConfig.class, properties);
    }

    private static long detectorThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(t -> t.getName().equals("edgetune-detector") || t.getName().equals("edgetune-model-loader")).count();
    }

    private static String refusal(Map<String, ?> properties) {
        long before = detectorThreads();
        DetectorComponent c = new DetectorComponent();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.activate(config(properties)));
        assertTrue("a refused configuration started the detector's threads", detectorThreads() <= before);
        return e.getMessage();
    }

    @Test
    public void valuesOutsideTheirDeclaredRangesAreRefusedBeforeAnythingStarts() {
        assertEquals("score.threshold must be 0..1, not 1.5", refusal(Map.of("score.threshold", "1.5")));
        assertEquals("nms.iou must be 0..1, not -0.5", refusal(Map.of("nms.iou", -0.5f)));
        assertEquals("max.detections must be at least 1, not 0", refusal(Map.of("max.detections", 0)));
        assertEquals("threads must be 1..16, not 0", refusal(Map.of("threads", "0")));
        assertEquals("queue.depth must be 1..8, not 9", refusal(Map.of("queue.depth", 9)));
        assertEquals("mode must be regions or full_frame, not 'tiles'", refusal(Map.of("mode", "tiles")));
    }

    @Test
    public void theClassAllowListIsACommaSeparatedList() {
        DetectorSettings s = DetectorComponent.settings(config(Map.of("class.allowlist", " Person, Car,,Person ", "mode", "FULL_FRAME")));
        assertEquals(Set.of("Person", "Car"), s.allowedLabels());
        assertEquals(Detections.Mode.FULL_FRAME, s.mode());
        DetectorSettings d = DetectorComponent.settings(config(Map.of()));
        assertEquals(new DetectorSettings(Detections.Mode.REGIONS, 0.4f, 0.5f, 50, Set.of()), d);
        assertEquals(new EngineOptions(2, true, EngineOptions.DEFAULT_EDGETPU_LIBRARY), DetectorComponent.engineOptions(config(Map.of())));
    }
}

package io.edgetune.wires.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import io.edgetune.api.config.TypedConfig;
import java.util.Map;
import org.junit.Test;

/** A malformed emitter configuration is refused, naming the property, before the wire support or the queue exist. */
public class DetectionEmitterConfigurationTest {

    private static String refusal(Map<String, ?> properties) {
        DetectionEmitter e = new DetectionEmitter();
        // no ComponentContext and no WireHelperService: reaching either would mean the configuration was not checked first
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
                () -> e.activate(null, TypedConfig.of(DetectionEmitter.Config.class, properties)));
        e.deactivate();
        return x.getMessage();
    }

    @Test
    public void aScoreOutsideTheUnitIntervalOrAnEmptyQueueIsRefused() {
        assertEquals("min.score must be 0..1, not 1.5", refusal(Map.of("min.score", 1.5f)));
        assertEquals("queue.size must be at least 1, not 0", refusal(Map.of("queue.size", "0")));
    }
}

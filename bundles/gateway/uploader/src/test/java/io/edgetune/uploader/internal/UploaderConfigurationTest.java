package io.edgetune.uploader.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.edgetune.api.config.TypedConfig;
import java.util.Map;
import java.util.Set;
import org.junit.Test;

/** A malformed uploader configuration is refused, naming the property, and starts no thread. */
public class UploaderConfigurationTest {

    private static long uploaderThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(t -> t.getName().startsWith("edgetune-uploader") || t.getName().startsWith("edgetune-sample")).count();
    }

    private static String refusal(Map<String, ?> properties) {
        long before = uploaderThreads();
        UploaderComponent c = new UploaderComponent();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> c.activate(TypedConfig.of(UploaderComponent.Config.class, properties)));
        assertTrue("a refused configuration started threads", uploaderThreads() <= before);
        IllegalStateException inactive = assertThrows(IllegalStateException.class, () -> c.sampleNow("plaza", "test"));
        assertEquals("uploader is not active", inactive.getMessage());
        return e.getMessage();
    }

    @Test
    public void valuesOutsideTheirDeclaredRangesAreRefusedBeforeAnythingStarts() {
        assertEquals("min.score must be 0..1, not 1.5", refusal(Map.of("min.score", "1.5")));
        assertEquals("max.rate must be at least 0.01, not 0", refusal(Map.of("max.rate", 0)));
        assertEquals("sample.jpeg.quality must be 10..100, not 101", refusal(Map.of("sample.jpeg.quality", 101)));
        // the sampling policies are checked after the detections uploader's settings: still nothing runs
        assertEquals("sample.novelty.threshold must be 0..1, not 2", refusal(Map.of("sample.novelty.threshold", 2.0)));
        assertEquals("sample.budget.burst.bytes must be at least 1, not 0", refusal(Map.of("sample.budget.burst.bytes", "0")));
        assertEquals("sample.motion.static.s must be at least -1, not -5", refusal(Map.of("sample.motion.static.s", -5)));
    }

    @Test
    public void rareLabelsAreACommaSeparatedList() {
        PolicySampler.Settings s = UploaderComponent.samplingSettings(
                TypedConfig.of(UploaderComponent.Config.class, Map.of("sample.rare.labels", " Person, Car,,Dog ,")));
        assertEquals(Set.of("Person", "Car", "Dog"), s.rareLabels());
        assertEquals(Set.of(), UploaderComponent.samplingSettings(TypedConfig.of(UploaderComponent.Config.class, Map.of())).rareLabels());
    }

    @Test
    public void theDeclaredDefaultsPassTheChecks() {
        UploaderComponent.Checked c = UploaderComponent.check(TypedConfig.of(UploaderComponent.Config.class, Map.of()));
        assertEquals(new Uploader.Settings(true, 0f, 2.0, 5, 64, 300, 0), c.upload());
        assertTrue(c.sampling().anyPolicy());
    }
}

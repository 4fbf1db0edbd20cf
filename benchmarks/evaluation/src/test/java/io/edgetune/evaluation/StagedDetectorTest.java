package io.edgetune.evaluation;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.edgetune.api.detect.Detection;
import io.edgetune.api.detect.Detections;
import io.edgetune.api.frame.Frame;
import io.edgetune.api.model.ModelDescriptor;
import io.edgetune.api.motion.MotionResult;
import io.edgetune.api.motion.Region;
import io.edgetune.capture.decode.VideoDecoder;
import io.edgetune.inference.engine.DetectorSettings;
import io.edgetune.inference.engine.EngineOptions;
import io.edgetune.inference.engine.LoadedModel;
import io.edgetune.motion.engine.MotionEngine;
import io.edgetune.motion.engine.MotionSettings;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/** The harness's step-timed detector returns exactly what the inference bundle's LoadedModel.detect returns. */
public class StagedDetectorTest {

    @Test
    public void sameDetectionsAsLoadedModelOnFullFramesAndMotionCrops() throws Exception {
        EvaluationOptions o = EvaluationOptions.defaults();
        List<String> labels = Evaluation.readLabels(o.labelMap());
        ModelDescriptor d = new ModelDescriptor("base", "", labels, 0, 0, "ssd-mobilenet-v2:300", null, Map.of(), 0L, false);
        DetectorSettings settings = DetectorSettings.defaults().withMode(Detections.Mode.REGIONS).withScoreThreshold(0.1f);
        int compared = 0;
        int cropFrames = 0;
        try (LoadedModel model = LoadedModel.load(d, o.modelFile(), null, "javacpp", EngineOptions.cpu(2));
             StagedDetector staged = new StagedDetector(model, settings);
             MotionEngine motion = new MotionEngine(MotionSettings.defaults());
             VideoDecoder source = new VideoDecoder(o.video().toString())) {
            source.open();
            Frame frame = new Frame(ByteBuffer.allocateDirect(source.width() * source.height() * 3 + 3 * 768 * 576), null);
            StagedDetector.Timing t = new StagedDetector.Timing();
            for (int n = 0; n < 40 && source.next(); n++) {
                source.copyTo(frame.pixels());
                frame.fill("test", n, n, System.nanoTime(), source.width(), source.height());
                MotionResult m = motion.process(frame);
                if (n % 4 == 3 && n >= 20) {
                    assertTrue("people move in the sample video", m.needsInference());
                    for (List<Region> regions : List.of(List.<Region>of(), m.regions())) {
                        t.clear();
                        List<Detection> mine = staged.detect(frame, regions, t);
                        Detections theirs = model.detect(frame, regions, settings);
                        assertEquals("frame " + n + " regions " + regions, theirs.detections(), mine);
                        assertEquals(theirs.regions(), staged.lastCrops());
                        assertFalse(mine.isEmpty());
                        assertTrue(t.prepareNanos > 0 && t.inferenceNanos > 0 && t.postNanos > 0);
                        compared++;
                    }
                    cropFrames += m.fullFrame() ? 0 : 1;
                }
                frame.release();
            }
        }
        assertEquals(10, compared);
        assertTrue("some frames ran on crops, not the full frame", cropFrames > 0);
    }
}

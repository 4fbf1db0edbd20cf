package io.edgetune.evaluation;

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
import io.edgetune.inference.regions.RegionPacker;
import io.edgetune.inference.regions.StillObjects;
import io.edgetune.motion.engine.MotionEngine;
import io.edgetune.motion.engine.MotionSettings;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/**
 * Region mode on the sample video with the real motion stage and model: the two cars parked at the top edge
 * never move, so crops reach them only when someone walks past. The periodic full-frame pass finds them and
 * the crop passes after it keep reporting them.
 */
public class StillObjectsRealVideoTest {

    @Test
    public void periodicFullFramePassKeepsTheParkedCarsInRegionMode() throws Exception {
        int[] withPass = carFrames(10);
        int[] without = carFrames(0);
        System.out.printf("frames with a car reported, of %d inferred: full-frame pass every 10: %d, never: %d%n",
                withPass[1], withPass[0], without[0]);
        assertTrue("periodic pass: cars in " + withPass[0] + " of " + withPass[1], withPass[0] >= 0.8 * withPass[1]);
        assertTrue("cars in " + withPass[0] + " frames with the pass, " + without[0] + " without", withPass[0] >= without[0] + 0.3 * withPass[1]);
    }

    /** {frames whose reported detections include a car, frames inferred} over frames 20..139. */
    private static int[] carFrames(int fullFrameEvery) throws Exception {
        EvaluationOptions o = EvaluationOptions.defaults();
        List<String> labels = Evaluation.readLabels(o.labelMap());
        ModelDescriptor d = new ModelDescriptor("base", "", labels, 0, 0, "ssd-mobilenet-v2:300", null, Map.of(), 0L, false);
        DetectorSettings settings = DetectorSettings.defaults().withMode(Detections.Mode.REGIONS).withScoreThreshold(0.3f);
        int withCar = 0;
        int inferred = 0;
        try (LoadedModel model = LoadedModel.load(d, o.modelFile(), null, "javacpp", EngineOptions.cpu(2));
             MotionEngine motion = new MotionEngine(MotionSettings.defaults());
             VideoDecoder source = new VideoDecoder(o.video().toString())) {
            source.open();
            StillObjects still = new StillObjects(fullFrameEvery);
            Frame frame = null;
            for (int n = 0; n < 140 && source.next(); n++) {
                if (frame == null) {
                    // the size is known once the first image is decoded
                    frame = new Frame(ByteBuffer.allocateDirect(source.width() * source.height() * 3), null);
                }
                source.copyTo(frame.pixels());
                frame.fill("test", n, n, System.nanoTime(), source.width(), source.height());
                MotionResult m = motion.process(frame);
                if (m.needsInference()) {
                    List<Region> regions = m.fullFrame() ? List.of() : m.regions();
                    Detections found = model.detect(frame, still.regionsToRun(regions), settings, RegionPacker.DEFAULT);
                    List<Detection> reported = still.update(frame.width(), frame.height(), regions,
                            found.mode() == Detections.Mode.FULL_FRAME, found.regions(), found.detections());
                    inferred++;
                    withCar += reported.stream().anyMatch(x -> "Car".equals(x.label())) ? 1 : 0;
                }
                frame.release();
            }
        }
        return new int[] {withCar, inferred};
    }
}

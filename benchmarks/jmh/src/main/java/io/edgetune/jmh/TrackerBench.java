package io.edgetune.jmh;

import io.edgetune.api.detect.Detections;
import io.edgetune.api.frame.Frame;
import io.edgetune.api.track.TrackedFrame;
import io.edgetune.inference.engine.DetectorSettings;
import io.edgetune.inference.engine.LoadedModel;
import io.edgetune.tracker.engine.CameraTracker;
import io.edgetune.tracker.engine.JpegCrops;
import io.edgetune.tracker.engine.TrackerSettings;
import io.edgetune.tracker.engine.Zones;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The tracker's cost per frame: one {@code CameraTracker.update} with the
 * real model's full-frame detections (threshold 0.4) of 120 consecutive
 * frames with people walking (frames 100-219, detected once in the set-up and
 * replayed in a loop with time moving on, so tracks live, end and start as
 * in the video), two zones. {@code update} keeps no pictures;
 * {@code updateWithCrops} also encodes each confirmed track's new best crop
 * from the frame (OpenCV imencode), which is what the gateway does.
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TrackerBench extends GatewayBench {

    private static final int FIRST = 100;
    private static final int COUNT = 120;

    private Frame[] frames;
    private Detections[] detections;
    private CameraTracker plain;
    private CameraTracker withCrops;
    private int next;
    private long seq;

    @Setup(Level.Trial)
    public void detect() throws Exception {
        frames = BenchAssets.frames(FIRST, COUNT);
        detections = new Detections[COUNT];
        DetectorSettings s = DetectorSettings.defaults().withMode(Detections.Mode.FULL_FRAME).withScoreThreshold(0.4f);
        try (LoadedModel model = BenchAssets.loadModel()) {
            for (int i = 0; i < COUNT; i++) {
                detections[i] = model.detect(frames[i], List.of(), s);
            }
        }
        TrackerSettings ts = TrackerSettings.defaults();
        var zones = Zones.parse("plaza:front=0,330;767,330;767,575;0,575|plaza:left=0,0;300,0;300,330;0,330").get("plaza");
        plain = new CameraTracker("plaza", ts, zones, null);
        withCrops = new CameraTracker("plaza", ts, zones, JpegCrops.of(ts));
    }

    @TearDown(Level.Trial)
    public void release() {
        for (Frame f : frames) {
            f.release();
        }
    }

    private Detections nextDetections() {
        Detections d = detections[next];
        seq++;
        // time moves on across the loop; the jump from the last frame back to the first looks like people moving
        return new Detections(d.cameraId(), seq, 100L * seq, 0, d.modelVersion(), d.backend(), d.mode(), d.regions(),
                d.detections(), 0, 0);
    }

    @Benchmark
    public TrackedFrame update() {
        Detections d = nextDetections();
        Frame f = frames[next];
        next = (next + 1) % COUNT;
        return plain.update(d, f, e -> { });
    }

    @Benchmark
    public TrackedFrame updateWithCrops() {
        Detections d = nextDetections();
        Frame f = frames[next];
        next = (next + 1) % COUNT;
        return withCrops.update(d, f, e -> { });
    }
}

package io.edgetune.tracker;

import io.edgetune.api.detect.Detections;
import io.edgetune.api.detect.DetectorService;
import io.edgetune.api.frame.Frame;
import io.edgetune.api.frame.FramePool;
import io.edgetune.inference.TestAssets;
import io.edgetune.inference.engine.DetectorSettings;
import io.edgetune.inference.engine.LoadedModel;
import io.edgetune.testsupport.Assets;
import io.edgetune.testsupport.VideoFrames;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;

/**
 * The real model's full-frame detections on the first frames of vtest.avi
 * (10 fps, 768x576), computed once per JVM, and a replay that decodes the
 * frames again and hands each with its detections (frame time = index x 100 ms).
 */
public final class SampleVideo {

    /** Detector threshold below the tracker's confident score, so that its second stage gets unsure boxes. */
    static final float DETECTOR_THRESHOLD = 0.3f;
    private static List<Detections> cached = List.of();

    private SampleVideo() {
    }

    public static synchronized List<Detections> detections(int frames) throws Exception {
        if (cached.size() >= frames) {
            return cached.subList(0, frames);
        }
        List<Detections> out = new ArrayList<>();
        try (LoadedModel model = TestAssets.loadModel("base")) {
            DetectorService det = TestAssets.detectorService(model, DetectorSettings.defaults()
                    .withMode(Detections.Mode.FULL_FRAME).withScoreThreshold(DETECTOR_THRESHOLD));
            decode(frames, (i, f) -> {
                try {
                    out.add(det.detect(f, List.of()));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }
        cached = out;
        return out;
    }

    /** Each of the first {@code frames} frames with its detections; the frame is released after the call. */
    public static void replay(int frames, BiConsumer<Detections, Frame> c) throws Exception {
        List<Detections> d = detections(frames);
        decode(frames, (i, f) -> c.accept(d.get(i), f));
    }

    private static void decode(int frames, BiConsumer<Integer, Frame> c) throws Exception {
        FramePool pool = new FramePool(1, VideoFrames.WIDTH, VideoFrames.HEIGHT);
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(Assets.video().toFile())) {
            g.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
            g.start();
            for (int i = 0; i < frames; i++) {
                org.bytedeco.javacv.Frame vf = g.grabImage();
                if (vf == null) {
                    throw new IllegalStateException("the sample video ends before frame " + i);
                }
                Frame f = VideoFrames.frame(pool, VideoFrames.packed(vf), "plaza", i, 100L * i);
                try {
                    c.accept(i, f);
                } finally {
                    f.release();
                }
            }
        }
    }
}

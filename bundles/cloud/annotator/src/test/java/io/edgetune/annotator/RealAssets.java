package io.edgetune.annotator;

import io.edgetune.api.detect.DetectionException;
import io.edgetune.api.detect.Detections;
import io.edgetune.api.detect.DetectorService;
import io.edgetune.api.detect.DetectorStatus;
import io.edgetune.api.frame.Frame;
import io.edgetune.api.frame.FramePool;
import io.edgetune.api.model.ModelDescriptor;
import io.edgetune.api.motion.Region;
import io.edgetune.inference.internal.DetectorSettings;
import io.edgetune.inference.internal.EngineException;
import io.edgetune.inference.internal.EngineOptions;
import io.edgetune.inference.internal.LoadedModel;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;

/** The real model and sample video from ${edgetune.assets}. */
final class RealAssets {

    static final int WIDTH = 768;
    static final int HEIGHT = 576;
    private static final Map<Integer, byte[]> DECODED = new HashMap<>();

    private RealAssets() {
    }

    static Path dir() {
        return Paths.get(System.getProperty("edgetune.assets", System.getProperty("user.home") + "/.cache/edgetune"));
    }

    static List<String> labels() throws Exception {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(dir().resolve("oidv4_labelmap.txt"), StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                out.add(line.trim());
            }
        }
        return out;
    }

    static LoadedModel model() throws Exception {
        ModelDescriptor d = new ModelDescriptor("edge-v1", "", labels(), 300, 300, "ssd-mobilenet-v2:300", null, Map.of(), 0L, false);
        return LoadedModel.load(d, dir().resolve("ssd_mobilenetv2_oidv4_fp16.tflite"), null, "javacpp", EngineOptions.cpu(2));
    }

    /** BGR bytes of the requested frames of vtest.avi, decoding up to the last one only once per JVM. */
    static synchronized Map<Integer, byte[]> frames(int... wanted) throws Exception {
        TreeSet<Integer> missing = new TreeSet<>();
        for (int i : wanted) {
            if (!DECODED.containsKey(i)) {
                missing.add(i);
            }
        }
        if (!missing.isEmpty()) {
            avutil.av_log_set_level(avutil.AV_LOG_ERROR);
            try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(dir().resolve("vtest.avi").toFile())) {
                g.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
                g.start();
                for (int n = 0; n <= missing.last(); n++) {
                    org.bytedeco.javacv.Frame f = g.grabImage();
                    if (f == null) {
                        throw new IllegalStateException("vtest.avi ends before frame " + n);
                    }
                    if (missing.contains(n)) {
                        DECODED.put(n, packed(f));
                    }
                }
            }
        }
        Map<Integer, byte[]> out = new HashMap<>();
        for (int i : wanted) {
            out.put(i, DECODED.get(i));
        }
        return out;
    }

    private static byte[] packed(org.bytedeco.javacv.Frame f) {
        ByteBuffer src = (ByteBuffer) f.image[0];
        byte[] out = new byte[f.imageWidth * f.imageHeight * 3];
        for (int y = 0; y < f.imageHeight; y++) {
            src.position(y * f.imageStride);
            src.get(out, y * f.imageWidth * 3, f.imageWidth * 3);
        }
        src.position(0);
        return out;
    }

    static Frame frame(FramePool pool, String camera, long seq, long timestamp, byte[] bgr) {
        Frame f = pool.acquire();
        ByteBuffer p = f.pixels();
        p.clear();
        p.put(bgr);
        p.clear();
        return f.fill(camera, seq, timestamp, System.nanoTime(), WIDTH, HEIGHT);
    }

    /** The inference bundle's model runner behind the public DetectorService, as the OSGi runtime provides it. */
    static final class ModelDetector implements DetectorService {
        private final LoadedModel model;
        private final DetectorSettings settings;

        ModelDetector(LoadedModel model, DetectorSettings settings) {
            this.model = model;
            this.settings = settings;
        }

        @Override
        public synchronized Detections detect(Frame frame, List<Region> regions) throws DetectionException {
            try {
                return model.detect(frame, regions, settings);
            } catch (EngineException e) {
                throw new DetectionException(e.getMessage(), e);
            }
        }

        @Override
        public DetectorStatus status() {
            throw new UnsupportedOperationException("not needed by the annotator");
        }
    }
}

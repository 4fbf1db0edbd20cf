package io.edgetune.jmh;

import io.edgetune.api.frame.Frame;
import io.edgetune.api.frame.FramePool;
import io.edgetune.api.model.ModelDescriptor;
import io.edgetune.inference.engine.EngineOptions;
import io.edgetune.inference.engine.LoadedModel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;

/** The real model and video from {@code -Dedgetune.assets} (default {@code ~/.cache/edgetune}). */
final class BenchAssets {

    private BenchAssets() {
    }

    static Path dir() {
        String d = System.getProperty("edgetune.assets");
        return d != null && !d.isBlank() ? Paths.get(d) : Paths.get(System.getProperty("user.home"), ".cache", "edgetune");
    }

    static Path video() {
        return require(dir().resolve("vtest.avi"));
    }

    static Path model() {
        return require(dir().resolve("ssd_mobilenetv2_oidv4_fp16.tflite"));
    }

    private static Path require(Path p) {
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("asset missing: " + p + " (set -Dedgetune.assets or run features/assets/fetch-assets.sh)");
        }
        return p;
    }

    static List<String> labels() throws IOException {
        List<String> out = new ArrayList<>();
        for (String s : Files.readAllLines(require(dir().resolve("oidv4_labelmap.txt")), StandardCharsets.UTF_8)) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return out;
    }

    /** The SSD MobileNetV2 OIDv4 model on the JavaCPP TFLite backend with the gateway's default 2 threads. */
    static LoadedModel loadModel() throws Exception {
        return loadModel("javacpp");
    }

    /** The model on the given backend ({@code javacpp} or {@code djl}), 2 threads. */
    static LoadedModel loadModel(String backend) throws Exception {
        ModelDescriptor d = new ModelDescriptor("bench", "", labels(), 300, 300, "ssd-mobilenet-v2:300", null, Map.of(), 0L, false);
        return LoadedModel.load(d, model(), null, backend, EngineOptions.cpu(2));
    }

    /**
     * Consecutive frames {@code first .. first+count-1} of the sample video, decoded into a pool of their own
     * (one reference each, held by the caller), as the capture bundle delivers them.
     */
    static Frame[] frames(int first, int count) throws IOException {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(video().toFile())) {
            g.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
            g.start();
            FramePool pool = new FramePool(count, g.getImageWidth(), g.getImageHeight());
            Frame[] out = new Frame[count];
            for (int i = 0, n = 0; n < count; i++) {
                org.bytedeco.javacv.Frame f = g.grabImage();
                if (f == null) {
                    throw new IOException(video() + " ends before frame " + (first + count));
                }
                if (i < first) {
                    continue;
                }
                Frame frame = pool.acquire();
                copy(f, frame.pixels());
                out[n++] = frame.fill("bench", i, 100L * i, System.nanoTime(), f.imageWidth, f.imageHeight);
            }
            return out;
        } catch (FFmpegFrameGrabber.Exception e) {
            throw new IOException(video() + ": " + e.getMessage(), e);
        }
    }

    static void copy(org.bytedeco.javacv.Frame f, ByteBuffer dst) {
        ByteBuffer src = (ByteBuffer) f.image[0];
        int row = f.imageWidth * 3;
        for (int y = 0; y < f.imageHeight; y++) {
            dst.put(y * row, src, y * f.imageStride, row);
        }
    }
}

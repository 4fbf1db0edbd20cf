package io.edgetune.inference;

import io.edgetune.api.frame.Frame;
import io.edgetune.api.frame.FramePool;
import io.edgetune.api.model.ModelDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;

/** The real model and video from ${edgetune.assets}, decoded once per JVM. */
public final class TestAssets {

    public static final int WIDTH = 768;
    public static final int HEIGHT = 576;
    private static final Map<Integer, byte[]> FRAMES = new TreeMap<>();

    private TestAssets() {
    }

    public static Path dir() {
        String d = System.getProperty("edgetune.assets", System.getProperty("user.home") + "/.cache/edgetune");
        return Paths.get(d);
    }

    public static Path model() {
        return dir().resolve("ssd_mobilenetv2_oidv4_fp16.tflite");
    }

    public static Path labelFile() {
        return dir().resolve("oidv4_labelmap.txt");
    }

    public static List<String> labels() throws IOException {
        List<String> l = new ArrayList<>();
        for (String s : Files.readAllLines(labelFile(), StandardCharsets.UTF_8)) {
            if (!s.isBlank()) {
                l.add(s.trim());
            }
        }
        return l;
    }

    public static ModelDescriptor descriptor(String version) throws IOException {
        return new ModelDescriptor(version, "", labels(), 300, 300, "ssd-mobilenet-v2:300", null, Map.of(), 0L, false);
    }

    /** BGR bytes of the given frame indices (0-based) of vtest.avi. */
    public static synchronized Map<Integer, byte[]> frames(int... indices) throws Exception {
        int max = 0;
        boolean missing = false;
        for (int i : indices) {
            max = Math.max(max, i);
            missing |= !FRAMES.containsKey(i);
        }
        if (missing) {
            avutil.av_log_set_level(avutil.AV_LOG_ERROR);
            try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(dir().resolve("vtest.avi").toFile())) {
                g.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
                g.start();
                for (int n = 0; n <= max; n++) {
                    org.bytedeco.javacv.Frame f = g.grabImage();
                    if (f == null) {
                        break;
                    }
                    for (int i : indices) {
                        if (i == n && !FRAMES.containsKey(n)) {
                            FRAMES.put(n, copy(f));
                        }
                    }
                }
            }
        }
        Map<Integer, byte[]> out = new TreeMap<>();
        for (int i : indices) {
            byte[] b = FRAMES.get(i);
            if (b == null) {
                throw new IllegalStateException("vtest.avi has no frame " + i);
            }
            out.put(i, b);
        }
        return out;
    }

    private static byte[] copy(org.bytedeco.javacv.Frame f) {
        ByteBuffer src = (ByteBuffer) f.image[0];
        int stride = f.imageStride;
        byte[] out = new byte[f.imageWidth * f.imageHeight * 3];
        for (int y = 0; y < f.imageHeight; y++) {
            src.position(y * stride);
            src.get(out, y * f.imageWidth * 3, f.imageWidth * 3);
        }
        src.position(0);
        return out;
    }

    /** A pooled frame filled with the given BGR bytes (one reference held by the caller). */
    public static Frame frame(FramePool pool, String camera, long seq, byte[] bgr) {
        Frame f = pool.acquire();
        if (f == null) {
            throw new IllegalStateException("frame pool exhausted");
        }
        ByteBuffer p = f.pixels();
        p.clear();
        p.put(bgr);
        p.clear();
        return f.fill(camera, seq, 1_000L * seq, System.nanoTime(), WIDTH, HEIGHT);
    }
}

package io.edgetune.load;

import io.edgetune.api.detect.Detections;
import io.edgetune.api.frame.Frame;
import io.edgetune.api.frame.FramePool;
import io.edgetune.api.model.ModelDescriptor;
import io.edgetune.inference.engine.DetectorSettings;
import io.edgetune.inference.engine.EngineOptions;
import io.edgetune.inference.engine.LoadedModel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;

/**
 * The naive approach in this JVM: every camera decodes every frame and runs
 * full-frame inference on it, one thread per camera, one shared interpreter
 * (same model and thread count as the gateway's detector). A camera emits
 * frame k at {@code start + k / fps}; a thread that is late skips to the
 * newest frame (decoding the skipped ones, as a stream decoder must) and
 * counts the skipped frames as dropped.
 */
final class NaiveLoop implements AutoCloseable {

    private static final DetectorSettings FULL = DetectorSettings.defaults().withMode(Detections.Mode.FULL_FRAME);

    private final LoadedModel model;
    private final double fps;

    NaiveLoop(Path assets, int threads, double fps) throws Exception {
        List<String> labels = new ArrayList<>();
        for (String s : Files.readAllLines(assets.resolve("oidv4_labelmap.txt"), StandardCharsets.UTF_8)) {
            if (!s.isBlank()) {
                labels.add(s.trim());
            }
        }
        ModelDescriptor d = new ModelDescriptor("naive", "", labels, 300, 300, "ssd-mobilenet-v2:300", null, Map.of(), 0L, false);
        model = LoadedModel.load(d, assets.resolve("ssd_mobilenetv2_oidv4_fp16.tflite"), null, "javacpp", EngineOptions.cpu(threads));
        this.fps = fps;
    }

    /** Counters of one camera thread. */
    static final class Camera {
        final String id;
        final Path video;
        final AtomicLong processed = new AtomicLong();
        final AtomicLong dropped = new AtomicLong();
        volatile String failure;

        Camera(String id, Path video) {
            this.id = id;
            this.video = video;
        }
    }

    /** Runs the busy camera plus {@code staticCameras} for warm-up + window and returns the window's figures. */
    LoadResults.Step measure(Path busyVideo, Path staticVideo, int staticCameras, int warmupSeconds, int windowSeconds,
                             double minFpsRatio, double maxDropFraction) throws Exception {
        List<Camera> cams = new ArrayList<>();
        cams.add(new Camera(GatewayProcess.BUSY, busyVideo));
        for (int i = 1; i <= staticCameras; i++) {
            cams.add(new Camera(GatewayProcess.staticId(i), staticVideo));
        }
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        boolean[] stop = {false};
        for (Camera c : cams) {
            Thread t = new Thread(() -> runCamera(c, start, stop), "naive-" + c.id);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        try {
            Thread.sleep(TimeUnit.SECONDS.toMillis(warmupSeconds));
            long[] p0 = new long[cams.size()];
            long[] d0 = new long[cams.size()];
            for (int i = 0; i < cams.size(); i++) {
                p0[i] = cams.get(i).processed.get();
                d0[i] = cams.get(i).dropped.get();
            }
            double cpu0 = GatewayProcess.cpuSeconds(ProcessHandle.current().pid());
            long t0 = System.nanoTime();
            Thread.sleep(TimeUnit.SECONDS.toMillis(windowSeconds));
            long t1 = System.nanoTime();
            double cpu1 = GatewayProcess.cpuSeconds(ProcessHandle.current().pid());
            double seconds = (t1 - t0) / 1e9;
            double busyFps = Double.NaN;
            double minStatic = Double.NaN;
            long processed = 0;
            long dropped = 0;
            for (int i = 0; i < cams.size(); i++) {
                Camera c = cams.get(i);
                if (c.failure != null) {
                    throw new IOException("naive camera " + c.id + ": " + c.failure);
                }
                long p = c.processed.get() - p0[i];
                processed += p;
                dropped += c.dropped.get() - d0[i];
                double f = p / seconds;
                if (i == 0) {
                    busyFps = f;
                } else {
                    minStatic = Double.isNaN(minStatic) ? f : Math.min(minStatic, f);
                }
            }
            double drop = processed + dropped == 0 ? 1 : (double) dropped / (processed + dropped);
            boolean ok = busyFps >= minFpsRatio * fps && (Double.isNaN(minStatic) || minStatic >= minFpsRatio * fps) && drop <= maxDropFraction;
            return new LoadResults.Step("naive", staticCameras, busyFps, minStatic, drop, Double.NaN, (cpu1 - cpu0) / seconds,
                    Double.NaN, Double.NaN, Double.NaN, ok);
        } finally {
            synchronized (stop) {
                stop[0] = true;
            }
            for (Thread t : threads) {
                t.join(10_000);
            }
        }
    }

    private void runCamera(Camera c, long start, boolean[] stop) {
        long period = Math.round(1e9 / fps);
        FramePool pool = null;
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(c.video.toFile())) {
            g.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
            g.start();
            pool = new FramePool(1, g.getImageWidth(), g.getImageHeight());
            long next = 0;
            while (true) {
                synchronized (stop) {
                    if (stop[0]) {
                        return;
                    }
                }
                long now = System.nanoTime();
                long emitted = (now - start) / period + 1;
                if (next >= emitted) {
                    long wait = start + next * period - now;
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    continue;
                }
                while (next < emitted - 1) {
                    // stale frames: decoded (a stream decoder cannot skip them) but not analysed
                    if (g.grabFrame(false, true, false, false, false) == null) {
                        g.restart();
                    }
                    c.dropped.incrementAndGet();
                    next++;
                }
                org.bytedeco.javacv.Frame f = g.grabImage();
                if (f == null) {
                    g.restart();
                    f = g.grabImage();
                    if (f == null) {
                        throw new IOException(c.video + " has no frames");
                    }
                }
                Frame frame = pool.acquire();
                copy(f, frame.pixels());
                frame.fill(c.id, next, System.currentTimeMillis(), System.nanoTime(), f.imageWidth, f.imageHeight);
                try {
                    synchronized (model) {
                        model.detect(frame, List.of(), FULL);
                    }
                } finally {
                    frame.release();
                }
                c.processed.incrementAndGet();
                next++;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            c.failure = e.toString();
        }
    }

    private static void copy(org.bytedeco.javacv.Frame f, ByteBuffer dst) {
        ByteBuffer src = (ByteBuffer) f.image[0];
        int rowBytes = f.imageWidth * 3;
        for (int y = 0; y < f.imageHeight; y++) {
            dst.put(y * rowBytes, src, y * f.imageStride, rowBytes);
        }
    }

    @Override
    public void close() {
        model.close();
    }
}

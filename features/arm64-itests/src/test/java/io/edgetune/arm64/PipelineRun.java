package io.edgetune.arm64;

import io.edgetune.api.detect.Detection;
import io.edgetune.api.detect.Detections;
import io.edgetune.api.frame.Frame;
import io.edgetune.api.frame.FramePool;
import io.edgetune.api.model.ModelDescriptor;
import io.edgetune.api.motion.MotionResult;
import io.edgetune.api.motion.Region;
import io.edgetune.capture.decode.VideoDecoder;
import io.edgetune.inference.engine.DetectorSettings;
import io.edgetune.inference.engine.EngineOptions;
import io.edgetune.inference.engine.LoadedModel;
import io.edgetune.motion.engine.MotionEngine;
import io.edgetune.motion.engine.MotionSettings;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;

/**
 * The gateway's stages on the first frames of the sample video, the same code on either JVM:
 * <ol>
 * <li>decode: FFmpeg decodes each frame to BGR as the camera does (and, separately, the codec's own luma
 * plane with FFmpeg's bit-exact settings, which must be identical);</li>
 * <li>motion (web console defaults) on every frame, once on this JVM's own decode and once on the
 * reference frames (the x86_64 decode), so that a difference can be told from a decoding difference;</li>
 * <li>each model on the reference frames: the whole of {@link #FULL_FRAMES} and the motion regions of the
 * last frame.</li>
 * </ol>
 * The result is {@link Serializable}, so the arm64 JVM hands it to the x86_64 test as it is.
 */
final class PipelineRun {

    /**
     * Frames decoded and given to the motion stage: its 20 warm-up frames and 6 with regions (emulated,
     * each costs a fraction of a second; the detector passes cost seconds each).
     */
    static final int FRAMES = 26;
    /** Frames the detector runs on whole: the first and the last. */
    static final Set<Integer> FULL_FRAMES = Set.of(0, FRAMES - 1);
    /** Frames whose decoded pixels travel back whole, for a pixel-wise comparison; the others by hash. */
    static final Set<Integer> KEPT_PIXELS = Set.of(0, 12, FRAMES - 1);
    /** Low enough to compare also the boxes a small numeric change could push under the gateway's 0.4. */
    static final float SCORE_THRESHOLD = 0.3f;

    record Box(String label, float score, float x, float y, float width, float height) implements Serializable {
        static Box of(Detection d) {
            return new Box(d.label(), d.score(), d.x(), d.y(), d.width(), d.height());
        }

        static Box of(Region r) {
            return new Box("region", 1f, r.x(), r.y(), r.width(), r.height());
        }

        float iou(Box o) {
            float ix = Math.max(0, Math.min(x + width, o.x + o.width) - Math.max(x, o.x));
            float iy = Math.max(0, Math.min(y + height, o.y + o.height) - Math.max(y, o.y));
            float inter = ix * iy;
            return inter / (width * height + o.width * o.height - inter);
        }
    }

    /** One decoded frame: hashes of its BGR pixels and of the codec's luma plane, and the BGR pixels of the {@link #KEPT_PIXELS}. */
    record Decoded(int index, String bgrSha256, String lumaSha256, byte[] pixels) implements Serializable {
    }

    record MotionStep(int index, String state, double ratio, List<Box> regions) implements Serializable {
    }

    /** One detector pass: on the whole frame or on the motion regions of that frame. */
    record Pass(String model, int frame, String mode, List<Box> boxes, long nanos) implements Serializable {
    }

    record Result(String arch, int width, int height, List<Decoded> decoded, List<MotionStep> ownMotion,
                  List<MotionStep> referenceMotion, List<Pass> passes, Map<String, String> builds,
                  Map<String, Long> millis) implements Serializable {
    }

    private PipelineRun() {
    }

    /**
     * Runs the stages: {@code reference} holds the frames motion and the detector run on (null: this
     * run's own decode, as on x86_64); {@code models} maps a name to its .tflite files: the CPU model and,
     * for an int8 build, the int8 file as the detector loads a package carrying one.
     */
    static Result run(Path video, Path reference, List<String> labels, Map<String, List<Path>> models) throws Exception {
        Map<String, Long> millis = new LinkedHashMap<>();
        long t = System.nanoTime();
        List<byte[]> own = new ArrayList<>();
        int[] size = new int[2];
        List<Decoded> decoded = decode(video, own, size);
        millis.put("decode", ms(t));
        t = System.nanoTime();
        List<MotionStep> ownMotion = motion(own, size[0], size[1]);
        millis.put("motion", ms(t));
        List<byte[]> ref = reference == null ? own : readFrames(reference, size[0] * size[1] * 3);
        List<MotionStep> referenceMotion = reference == null ? ownMotion : motion(ref, size[0], size[1]);
        List<Region> lastRegions = new ArrayList<>();
        for (Box b : referenceMotion.get(FRAMES - 1).regions()) {
            lastRegions.add(new Region((int) b.x(), (int) b.y(), (int) b.width(), (int) b.height()));
        }
        List<Pass> passes = new ArrayList<>();
        FramePool pool = new FramePool(1, size[0], size[1]);
        DetectorSettings full = DetectorSettings.defaults().withScoreThreshold(SCORE_THRESHOLD)
                .withMode(Detections.Mode.FULL_FRAME);
        DetectorSettings regions = DetectorSettings.defaults().withScoreThreshold(SCORE_THRESHOLD)
                .withMode(Detections.Mode.REGIONS);
        Map<String, String> builds = new LinkedHashMap<>();
        for (Map.Entry<String, List<Path>> m : models.entrySet()) {
            t = System.nanoTime();
            ModelDescriptor d = new ModelDescriptor(m.getKey(), "", labels, 300, 300, "ssd-mobilenet-v2:300", null,
                    Map.of(), 0L, false);
            Path int8 = m.getValue().size() > 1 ? m.getValue().get(1) : null;
            try (LoadedModel model = LoadedModel.load(d, m.getValue().get(0), int8, null, "javacpp", EngineOptions.cpu(2))) {
                millis.put("load " + m.getKey(), ms(t));
                builds.put(m.getKey(), model.engine().build());
                for (int i : FULL_FRAMES.stream().sorted().toList()) {
                    passes.add(pass(m.getKey(), i, model, pool, ref.get(i), size, List.of(), full));
                }
                passes.add(pass(m.getKey(), FRAMES - 1, model, pool, ref.get(FRAMES - 1), size, lastRegions, regions));
            }
        }
        return new Result(System.getProperty("os.arch"), size[0], size[1], decoded, ownMotion,
                reference == null ? null : referenceMotion, passes, builds, millis);
    }

    private static List<Decoded> decode(Path video, List<byte[]> bgrOut, int[] size) throws Exception {
        List<String> yuv = new ArrayList<>();
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
        // the codec's own output with FFmpeg's bit-exact settings (the portable C IDCT instead of each
        // platform's SIMD one): the same on every platform if the arm64 FFmpeg decodes correctly
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(video.toFile())) {
            g.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            g.setVideoOption("idct", "simple");
            g.setVideoOption("flags", "+bitexact");
            g.start();
            for (int i = 0; i < FRAMES; i++) {
                org.bytedeco.javacv.Frame f = g.grabImage();
                // the luma plane, row by row: the stride (padding) may differ between platforms
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                ByteBuffer b = ((ByteBuffer) f.image[0]).duplicate();
                for (int y = 0; y < f.imageHeight; y++) {
                    b.limit(y * f.imageStride + f.imageWidth).position(y * f.imageStride);
                    md.update(b);
                }
                yuv.add(HexFormat.of().formatHex(md.digest()));
            }
        }
        List<Decoded> out = new ArrayList<>();
        try (VideoDecoder decoder = new VideoDecoder(video.toString())) {
            decoder.open();
            for (int i = 0; i < FRAMES; i++) {
                if (!decoder.next()) {
                    throw new IllegalStateException(video + " ends after " + i + " frames");
                }
                size[0] = decoder.width();
                size[1] = decoder.height();
                ByteBuffer px = ByteBuffer.allocate(size[0] * size[1] * 3);
                decoder.copyTo(px);
                byte[] bgr = px.array();
                bgrOut.add(bgr);
                out.add(new Decoded(i, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bgr)),
                        yuv.get(i), KEPT_PIXELS.contains(i) ? bgr : null));
            }
        }
        return out;
    }

    private static List<MotionStep> motion(List<byte[]> frames, int width, int height) throws Exception {
        List<MotionStep> out = new ArrayList<>();
        FramePool pool = new FramePool(1, width, height);
        try (MotionEngine motion = new MotionEngine(MotionSettings.defaults())) {
            for (int i = 0; i < frames.size(); i++) {
                Frame f = frame(pool, frames.get(i), i, width, height);
                try {
                    MotionResult r = motion.process(f);
                    out.add(new MotionStep(i, r.state().name(), r.motionRatio(), r.regions().stream().map(Box::of).toList()));
                } finally {
                    f.release();
                }
            }
        }
        return out;
    }

    private static Pass pass(String model, int index, LoadedModel m, FramePool pool, byte[] bgr, int[] size,
                             List<Region> regions, DetectorSettings s) throws Exception {
        Frame f = frame(pool, bgr, index, size[0], size[1]);
        try {
            long t = System.nanoTime();
            Detections d = m.detect(f, regions, s);
            List<Box> boxes = d.detections().stream().map(Box::of).toList();
            return new Pass(model, index, s.mode().name(), boxes, System.nanoTime() - t);
        } finally {
            f.release();
        }
    }

    private static Frame frame(FramePool pool, byte[] bgr, int index, int width, int height) {
        Frame f = pool.acquire();
        ByteBuffer px = f.pixels();
        px.clear();
        px.put(bgr);
        px.clear();
        return f.fill("arm64", index, 100L * index, System.nanoTime(), width, height);
    }

    /** Writes frames as the reference for the other JVM: count, then each frame's packed BGR bytes. */
    static void writeFrames(List<byte[]> frames, Path file) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(file)))) {
            out.writeInt(frames.size());
            for (byte[] f : frames) {
                out.write(f);
            }
        }
    }

    private static List<byte[]> readFrames(Path file, int frameBytes) throws IOException {
        List<byte[]> out = new ArrayList<>();
        try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                byte[] f = new byte[frameBytes];
                in.readFully(f);
                out.add(f);
            }
        }
        return out;
    }

    /** Decodes the frames the way {@link #run} does, for {@link #writeFrames}. */
    static List<byte[]> decodeOnly(Path video) throws Exception {
        List<byte[]> out = new ArrayList<>();
        decode(video, out, new int[2]);
        return out;
    }

    private static long ms(long since) {
        return (System.nanoTime() - since) / 1_000_000;
    }
}

package io.edgetune.load;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Random;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/**
 * A camera watching a scene where nothing moves: the sample video's
 * background (per-pixel median of frames spread over the whole video) with
 * fresh Gaussian sensor noise in every frame, written once as MJPEG/AVI and
 * cached next to the assets.
 */
public final class StaticSceneVideo {

    public static final String FILE_NAME = "static-plaza-noise.avi";
    static final int MEDIAN_FRAMES = 51;
    static final double NOISE_SIGMA = 2.5;
    static final int FRAMES = 200;

    private StaticSceneVideo() {
    }

    /** The cached video in {@code dir}, made from {@code source} first if missing. */
    public static Path ensure(Path source, Path dir, double fps) throws IOException {
        Path out = dir.resolve(FILE_NAME);
        if (Files.isRegularFile(out) && Files.size(out) > 0) {
            return out;
        }
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "static-", ".avi");
        try {
            Background bg = background(source);
            write(bg.bgr(), bg.width(), bg.height(), tmp, fps, FRAMES, new Random(7));
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return out;
    }

    /** A BGR picture. */
    record Background(byte[] bgr, int width, int height) {
    }

    /** BGR bytes of the per-pixel median over {@link #MEDIAN_FRAMES} frames evenly spread over the video. */
    static Background background(Path source) throws IOException {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(source.toFile())) {
            g.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
            g.start();
            int total = Math.max(g.getLengthInVideoFrames(), MEDIAN_FRAMES);
            int step = Math.max(1, total / MEDIAN_FRAMES);
            int width = g.getImageWidth();
            int height = g.getImageHeight();
            int size = width * height * 3;
            byte[][] picked = new byte[MEDIAN_FRAMES][];
            int n = 0;
            for (int i = 0; n < MEDIAN_FRAMES; i++) {
                Frame f = g.grabImage();
                if (f == null) {
                    break;
                }
                if (i % step == 0) {
                    picked[n++] = bgr(f);
                }
            }
            if (n < 3) {
                throw new IOException(source + ": only " + n + " frames decoded, need at least 3 for a background");
            }
            byte[] out = new byte[size];
            int[] values = new int[n];
            for (int p = 0; p < size; p++) {
                for (int k = 0; k < n; k++) {
                    values[k] = picked[k][p] & 0xff;
                }
                Arrays.sort(values, 0, n);
                out[p] = (byte) values[n / 2];
            }
            return new Background(out, width, height);
        } catch (FFmpegFrameGrabber.Exception e) {
            throw new IOException(source + ": " + e.getMessage(), e);
        }
    }

    static void write(byte[] background, int w, int h, Path file, double fps, int frames, Random random) throws IOException {
        try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(file.toFile(), w, h, 0)) {
            r.setFormat("avi");
            r.setVideoCodec(avcodec.AV_CODEC_ID_MJPEG);
            r.setPixelFormat(avutil.AV_PIX_FMT_YUVJ420P);
            r.setFrameRate(fps);
            // best MJPEG quality, so the noise survives compression
            r.setVideoQuality(2);
            r.start();
            Frame frame = new Frame(w, h, Frame.DEPTH_UBYTE, 3);
            ByteBuffer buf = (ByteBuffer) frame.image[0];
            int stride = frame.imageStride;
            byte[] row = new byte[w * 3];
            for (int i = 0; i < frames; i++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < row.length; x++) {
                        int v = (background[y * row.length + x] & 0xff) + (int) Math.round(random.nextGaussian() * NOISE_SIGMA);
                        row[x] = (byte) Math.max(0, Math.min(255, v));
                    }
                    buf.position(y * stride);
                    buf.put(row);
                }
                buf.position(0);
                r.record(frame, avutil.AV_PIX_FMT_BGR24);
            }
            r.stop();
        } catch (FFmpegFrameRecorder.Exception e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    static byte[] bgr(Frame f) {
        ByteBuffer src = (ByteBuffer) f.image[0];
        int stride = f.imageStride;
        int rowBytes = f.imageWidth * 3;
        byte[] out = new byte[rowBytes * f.imageHeight];
        for (int y = 0; y < f.imageHeight; y++) {
            src.position(y * stride);
            src.get(out, y * rowBytes, rowBytes);
        }
        src.position(0);
        return out;
    }

    /** Mean absolute difference (grey levels) between the first two frames of a video: the noise survives when it is clearly above 0. */
    public static double firstFramesDifference(Path video) throws IOException {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(video.toFile())) {
            g.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
            g.start();
            byte[] a = bgr(g.grabImage());
            byte[] b = bgr(g.grabImage());
            long sum = 0;
            for (int i = 0; i < a.length; i++) {
                sum += Math.abs((a[i] & 0xff) - (b[i] & 0xff));
            }
            return (double) sum / a.length;
        } catch (FFmpegFrameGrabber.Exception e) {
            throw new IOException(video + ": " + e.getMessage(), e);
        }
    }
}

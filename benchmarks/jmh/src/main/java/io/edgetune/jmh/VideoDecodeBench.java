package io.edgetune.jmh;

import io.edgetune.api.frame.Frame;
import io.edgetune.api.frame.FramePool;
import java.util.concurrent.TimeUnit;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The capture loop's work per frame: FFmpeg decodes the next frame of the
 * sample video (768x576) to BGR and it is copied into a pooled frame buffer.
 * The video starts over at its end.
 */
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class VideoDecodeBench extends GatewayBench {

    private FFmpegFrameGrabber grabber;
    private Frame frame;
    private long sequence;

    @Setup(Level.Trial)
    public void open() throws Exception {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
        grabber = new FFmpegFrameGrabber(BenchAssets.video().toFile());
        grabber.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
        grabber.start();
        frame = new FramePool(1, grabber.getImageWidth(), grabber.getImageHeight()).acquire();
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        grabber.stop();
        grabber.release();
        frame.release();
    }

    @Benchmark
    public Frame decodeFrame() throws Exception {
        org.bytedeco.javacv.Frame f = grabber.grabImage();
        if (f == null) {
            grabber.restart();
            f = grabber.grabImage();
        }
        BenchAssets.copy(f, frame.pixels());
        return frame.fill("bench", sequence++, 0L, 0L, f.imageWidth, f.imageHeight);
    }
}

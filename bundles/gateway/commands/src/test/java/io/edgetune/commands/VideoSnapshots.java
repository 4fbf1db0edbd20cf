package io.edgetune.commands;

import io.edgetune.api.frame.Frame;
import io.edgetune.api.frame.FramePool;
import io.edgetune.commands.internal.FrameGrab;
import io.edgetune.commands.internal.Snapshot;
import io.edgetune.commands.internal.SnapshotSource;
import java.io.File;
import java.nio.ByteBuffer;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;

/**
 * Snapshot source fed by the real sample video: each request decodes the next
 * frame of vtest.avi into a pooled {@link Frame} and hands it to the
 * handler's {@link FrameGrab}, as the capture bundle would.
 */
final class VideoSnapshots implements SnapshotSource, AutoCloseable {

    private final String cameraId;
    private final FFmpegFrameGrabber grabber;
    private final FramePool pool;
    private long sequence;
    volatile byte[] lastBgr;

    VideoSnapshots(String cameraId) throws Exception {
        this.cameraId = cameraId;
        File video = new File(System.getProperty("edgetune.assets"), "vtest.avi");
        if (!video.isFile()) {
            throw new IllegalStateException("sample video missing: " + video + " (run the assets feature first)");
        }
        grabber = new FFmpegFrameGrabber(video);
        grabber.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
        grabber.start();
        pool = new FramePool(2, grabber.getImageWidth(), grabber.getImageHeight());
    }

    @Override
    public synchronized Snapshot next(String id, long timeoutMillis) throws InterruptedException {
        if (!cameraId.equals(id)) {
            return null;
        }
        try {
            org.bytedeco.javacv.Frame f = grabber.grabImage();
            if (f == null) {
                return null;
            }
            int w = f.imageWidth, h = f.imageHeight, stride = f.imageStride;
            ByteBuffer src = (ByteBuffer) f.image[0];
            Frame frame = pool.acquire();
            ByteBuffer dst = frame.pixels();
            byte[] row = new byte[w * 3];
            byte[] copy = new byte[w * h * 3];
            for (int y = 0; y < h; y++) {
                src.position(y * stride);
                src.get(row);
                dst.position(y * w * 3);
                dst.put(row);
                System.arraycopy(row, 0, copy, y * w * 3, row.length);
            }
            dst.position(0);
            frame.fill(cameraId, ++sequence, System.currentTimeMillis(), System.nanoTime(), w, h);
            lastBgr = copy;
            FrameGrab grab = new FrameGrab(id);
            grab.onFrame(frame);
            frame.release();
            return grab.await(timeoutMillis);
        } catch (org.bytedeco.javacv.FrameGrabber.Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws Exception {
        grabber.close();
    }
}

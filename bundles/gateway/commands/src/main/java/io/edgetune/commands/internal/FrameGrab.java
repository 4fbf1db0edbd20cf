package io.edgetune.commands.internal;

import io.edgetune.api.frame.Frame;
import io.edgetune.api.frame.FrameListener;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A one-shot frame listener: copies the first frame it sees (one copy, on
 * the grabber thread, no retain) and ignores the rest.
 */
public final class FrameGrab implements FrameListener {

    private final String cameraId;
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile Snapshot snapshot;

    public FrameGrab(String cameraId) {
        this.cameraId = cameraId;
    }

    @Override
    public void onFrame(Frame frame) {
        if (done.getCount() == 0 || !cameraId.equals(frame.cameraId())) {
            return;
        }
        synchronized (this) {
            if (snapshot != null) {
                return;
            }
            byte[] bgr = new byte[frame.byteSize()];
            ByteBuffer pixels = frame.pixels().duplicate();
            pixels.position(0).limit(bgr.length);
            pixels.get(bgr);
            snapshot = new Snapshot(frame.cameraId(), frame.sequence(), frame.timestampMillis(), frame.width(),
                    frame.height(), bgr);
        }
        done.countDown();
    }

    public Snapshot await(long timeoutMillis) throws InterruptedException {
        done.await(timeoutMillis, TimeUnit.MILLISECONDS);
        return snapshot;
    }
}

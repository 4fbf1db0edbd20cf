package io.edgetune.uploader.internal;

import io.edgetune.api.frame.Frame;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Date;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.eclipse.kura.KuraException;
import org.eclipse.kura.cloudconnection.message.KuraMessage;
import org.eclipse.kura.cloudconnection.publisher.CloudPublisher;
import org.eclipse.kura.message.KuraPayload;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On-demand samples: a request marks cameras; the next frame of each marked
 * camera is copied on the grabber thread (only then: unmarked frames cost a
 * map lookup) and encoded and published as JPEG on the sampler's thread.
 */
public final class SampleTaker {

    private static final Logger LOG = LoggerFactory.getLogger(SampleTaker.class);

    private record Pending(String cameraId, long sequence, long timestampMillis, int width, int height, byte[] bgr,
                           String reason) {
    }

    private final Supplier<Collection<String>> cameraIds;
    private final Supplier<CloudPublisher> publisher;
    private final float jpegQuality;
    private final Map<String, String> requested = new ConcurrentHashMap<>();
    private final ArrayBlockingQueue<Pending> queue = new ArrayBlockingQueue<>(4);
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final WorkerThread worker = new WorkerThread("edgetune-sampler", this::run);

    public SampleTaker(Supplier<Collection<String>> cameraIds, Supplier<CloudPublisher> publisher, float jpegQuality) {
        this.cameraIds = cameraIds;
        this.publisher = publisher;
        this.jpegQuality = jpegQuality;
    }

    /** Marks one camera (or all when null); returns how many will upload their next frame. */
    public int sampleNow(String cameraId, String reason) {
        Collection<String> known = cameraIds.get();
        String why = reason == null ? "request" : reason;
        if (cameraId == null) {
            known.forEach(id -> requested.put(id, why));
            return known.size();
        }
        if (!known.contains(cameraId)) {
            throw new IllegalArgumentException("no camera '" + cameraId + "'");
        }
        requested.put(cameraId, why);
        return 1;
    }

    /** Grabber thread. */
    public void onFrame(Frame frame) {
        if (requested.isEmpty()) {
            return;
        }
        String reason = requested.remove(frame.cameraId());
        if (reason == null) {
            return;
        }
        byte[] bgr = new byte[frame.byteSize()];
        ByteBuffer pixels = frame.pixels().duplicate();
        pixels.position(0).limit(bgr.length);
        pixels.get(bgr);
        if (!queue.offer(new Pending(frame.cameraId(), frame.sequence(), frame.timestampMillis(), frame.width(),
                frame.height(), bgr, reason))) {
            dropped.incrementAndGet();
        }
    }

    public void start() {
        worker.start();
    }

    public void stop(long timeoutMillis) {
        worker.stop(timeoutMillis);
    }

    public long published() {
        return published.get();
    }

    public long dropped() {
        return dropped.get();
    }

    private void run() {
        while (worker.running()) {
            Pending p;
            try {
                p = queue.poll(500, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (p == null) {
                continue;
            }
            CloudPublisher pub = publisher.get();
            if (pub == null) {
                dropped.incrementAndGet();
                LOG.warn("Sample of {} dropped: no CloudPublisher matches SamplePublisher.target", p.cameraId());
                continue;
            }
            try {
                KuraPayload payload = new KuraPayload();
                payload.setTimestamp(new Date(p.timestampMillis()));
                payload.addMetric("camera.id", p.cameraId());
                payload.addMetric("frame.sequence", p.sequence());
                payload.addMetric("reason", p.reason());
                payload.addMetric("width", p.width());
                payload.addMetric("height", p.height());
                payload.addMetric("content.type", "image/jpeg");
                payload.setBody(jpeg(p));
                pub.publish(new KuraMessage(payload, Map.of("camera.id", p.cameraId())));
                published.incrementAndGet();
            } catch (IOException | KuraException | RuntimeException e) {
                dropped.incrementAndGet();
                LOG.warn("Sample of {} not published: {}", p.cameraId(), e.getMessage());
            }
        }
    }

    private byte[] jpeg(Pending p) throws IOException {
        // TYPE_3BYTE_BGR stores pixels exactly as the frame does
        BufferedImage img = new BufferedImage(p.width(), p.height(), BufferedImage.TYPE_3BYTE_BGR);
        byte[] raster = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        System.arraycopy(p.bgr(), 0, raster, 0, raster.length);
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        if (!writers.hasNext()) {
            throw new IOException("no JPEG encoder in this JVM");
        }
        ImageWriter writer = writers.next();
        ByteArrayOutputStream out = new ByteArrayOutputStream(p.bgr().length / 8);
        try (MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(ios);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(jpegQuality);
            writer.write(null, new IIOImage(img, null, null), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }
}

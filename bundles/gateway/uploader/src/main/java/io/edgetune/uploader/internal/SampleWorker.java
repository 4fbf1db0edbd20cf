package io.edgetune.uploader.internal;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;

import io.edgetune.api.detect.Detections;
import io.edgetune.api.frame.Frame;
import io.edgetune.api.motion.Region;
import java.nio.ByteBuffer;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.eclipse.kura.KuraException;
import org.eclipse.kura.cloudconnection.message.KuraMessage;
import org.eclipse.kura.cloudconnection.publisher.CloudPublisher;
import org.eclipse.kura.message.KuraPayload;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single thread that turns retained frames into sample messages: JPEG by
 * OpenCV's imencode (native, several times faster than ImageIO for a
 * 768x576 frame) straight from the frame's direct buffer, then publishes.
 * The queue is bounded; the sampler drops and counts when it is full.
 */
public final class SampleWorker {

    private static final Logger LOG = LoggerFactory.getLogger(SampleWorker.class);

    /** A retained frame waiting to be encoded; the worker releases it. */
    public record Job(Frame frame, Detections detections, int reasons, double novelty, long reservedBytes,
                      PolicySampler.Camera camera) {
    }

    private final ArrayBlockingQueue<Job> queue;
    private final Supplier<CloudPublisher> publisher;
    private final int jpegQuality;
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final WorkerThread worker = new WorkerThread("edgetune-sample-encoder", this::run);
    private final RecentTracks tracks;

    /** @param jpegQuality 10..100 */
    public SampleWorker(int queueSize, Supplier<CloudPublisher> publisher, int jpegQuality) {
        this(queueSize, publisher, jpegQuality, null);
    }

    /** @param tracks the tracker's recent frames, for track ids on the samples' detections; null: none */
    SampleWorker(int queueSize, Supplier<CloudPublisher> publisher, int jpegQuality, RecentTracks tracks) {
        this.tracks = tracks;
        this.queue = new ArrayBlockingQueue<>(Math.max(1, queueSize));
        this.publisher = publisher;
        this.jpegQuality = Math.max(10, Math.min(100, jpegQuality));
    }

    boolean offer(Job job) {
        return worker.running() && queue.offer(job);
    }

    public void start() {
        worker.start();
    }

    public void stop(long timeoutMillis) {
        worker.stop(timeoutMillis);
        Job j;
        while ((j = queue.poll()) != null) {
            j.frame().release(); // give pooled frames back
        }
    }

    public int queueDepth() {
        return queue.size();
    }

    public long published() {
        return published.get();
    }

    public long failed() {
        return failed.get();
    }

    public long bytes() {
        return bytes.get();
    }

    private void run() {
        try (IntPointer params = new IntPointer(IMWRITE_JPEG_QUALITY, jpegQuality)) {
            while (worker.running()) {
                Job j;
                try {
                    j = queue.poll(500, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    return;
                }
                if (j != null) {
                    handle(j, params);
                }
            }
        }
    }

    private void handle(Job j, IntPointer params) {
        byte[] jpeg;
        Frame f = j.frame();
        try {
            jpeg = encode(f, params);
        } catch (RuntimeException e) {
            failed.incrementAndGet();
            j.camera().notSent(j.reservedBytes());
            LOG.warn("Sample of {} #{} not encoded: {}", f.cameraId(), f.sequence(), e.getMessage());
            f.release();
            return;
        }
        KuraPayload p;
        try {
            // looked up after encoding: by then the tracker has normally seen the frame too
            Detections d = j.detections();
            p = payload(j, jpeg, tracks == null ? null
                    : EventMessages.trackIds(d, tracks.find(d.cameraId(), d.frameSequence())));
        } finally {
            f.release(); // the metadata is copied, the pixels encoded
        }
        j.camera().encoded(j.reservedBytes(), jpeg.length);
        CloudPublisher pub = publisher.get();
        if (pub == null) {
            if (failed.incrementAndGet() == 1) {
                LOG.warn("Samples are dropped: no CloudPublisher matches SamplePublisher.target");
            }
            return;
        }
        try {
            pub.publish(new KuraMessage(p, Map.of("camera.id", j.detections().cameraId())));
            published.incrementAndGet();
            bytes.addAndGet(jpeg.length);
        } catch (KuraException | RuntimeException e) {
            failed.incrementAndGet();
            LOG.warn("Sample of {} not published: {}", j.detections().cameraId(), e.getMessage());
        }
    }

    /** JPEG of the whole frame; params as for imencode (e.g. IMWRITE_JPEG_QUALITY, 90). */
    public static byte[] encode(Frame f, IntPointer params) {
        ByteBuffer px = f.pixels().duplicate();
        px.clear();
        try (BytePointer data = new BytePointer(px);
             Mat img = new Mat(f.height(), f.width(), CV_8UC3, data);
             BytePointer out = new BytePointer()) {
            if (!imencode(".jpg", img, out, params)) {
                throw new IllegalStateException("OpenCV could not encode a JPEG");
            }
            byte[] jpeg = new byte[(int) out.limit()];
            out.get(jpeg);
            return jpeg;
        }
    }

    static KuraPayload payload(Job j, byte[] jpeg) {
        return payload(j, jpeg, null);
    }

    /** @param trackIds per detection its track id (0: none), as in detection messages; null without a tracker */
    static KuraPayload payload(Job j, byte[] jpeg, long[] trackIds) {
        Detections d = j.detections();
        Frame f = j.frame();
        KuraPayload p = new KuraPayload();
        p.setTimestamp(new Date(d.frameTimestampMillis()));
        p.addMetric("camera.id", d.cameraId());
        p.addMetric("frame.sequence", d.frameSequence());
        p.addMetric("reason", PolicySampler.reasonNames(j.reasons()));
        p.addMetric("width", f.width());
        p.addMetric("height", f.height());
        p.addMetric("content.type", "image/jpeg");
        p.addMetric("model.version", String.valueOf(d.modelVersion()));
        p.addMetric("backend", String.valueOf(d.backend()));
        DetectionMessages.addBuild(p, d.build(), d.buildReason());
        p.addMetric("detections.count", d.detections().size());
        p.addMetric("detections", DetectionMessages.json(d, trackIds));
        p.addMetric("motion.regions", regions(d));
        if (!Double.isNaN(j.novelty())) {
            p.addMetric("novelty", j.novelty());
        }
        p.setBody(jpeg);
        return p;
    }

    /** [[x,y,w,h],...] in full-frame pixels. */
    static String regions(Detections d) {
        StringBuilder sb = new StringBuilder("[");
        if (d.regions() != null) {
            for (Region r : d.regions()) {
                if (sb.length() > 1) {
                    sb.append(',');
                }
                sb.append('[').append(r.x()).append(',').append(r.y()).append(',').append(r.width()).append(',')
                        .append(r.height()).append(']');
            }
        }
        return sb.append(']').toString();
    }
}

package io.edgetune.uploader.internal;

import io.edgetune.api.track.TrackEvent;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.eclipse.kura.KuraException;
import org.eclipse.kura.cloudconnection.message.KuraMessage;
import org.eclipse.kura.cloudconnection.publisher.CloudPublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the tracker's events from its own thread: the tracker (on the
 * detector's thread) only queues. Events are not rate-limited (an object
 * makes a handful in its life); the queue is bounded and what overflows it,
 * or finds no publisher, is counted. The publisher's outbox (standalone
 * connection) or Kura's data service keeps them across broker outages.
 */
public final class EventWorker {

    private static final Logger LOG = LoggerFactory.getLogger(EventWorker.class);

    private final ArrayBlockingQueue<TrackEvent> queue;
    private final Supplier<CloudPublisher> publisher;
    private final WorkerThread worker = new WorkerThread("edgetune-uploader-events", this::run);
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();

    public EventWorker(int queueSize, Supplier<CloudPublisher> publisher) {
        this.queue = new ArrayBlockingQueue<>(queueSize);
        this.publisher = publisher;
    }

    public void start() {
        worker.start();
    }

    public void stop(long timeoutMillis) {
        worker.stop(timeoutMillis);
    }

    /** Any thread; never blocks. */
    public void offer(TrackEvent e) {
        if (!queue.offer(e)) {
            dropped.incrementAndGet();
        }
    }

    private void run() {
        while (worker.running()) {
            TrackEvent e;
            try {
                e = queue.poll(500, TimeUnit.MILLISECONDS);
            } catch (InterruptedException ex) {
                return;
            }
            if (e == null) {
                continue;
            }
            CloudPublisher p = publisher.get();
            if (p == null) {
                if (dropped.incrementAndGet() == 1) {
                    LOG.warn("No CloudPublisher matches the uploader's EventPublisher.target; events are dropped");
                }
                continue;
            }
            try {
                p.publish(new KuraMessage(EventMessages.payload(e), Map.of("camera.id", e.cameraId())));
                published.incrementAndGet();
                if (e.snapshotJpeg() != null) {
                    bytes.addAndGet(e.snapshotJpeg().length);
                }
            } catch (KuraException | RuntimeException ex) {
                if (failed.incrementAndGet() % 100 == 1) {
                    LOG.warn("Publishing an event of {} failed ({} failures so far): {}", e.cameraId(), failed.get(), ex.getMessage());
                }
            }
        }
    }

    public long published() {
        return published.get();
    }

    public long dropped() {
        return dropped.get();
    }

    public long failed() {
        return failed.get();
    }

    public int queueDepth() {
        return queue.size();
    }
}

package io.edgetune.wires.internal;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves items from the detector's thread to one emitting thread. Emitting
 * runs the downstream wire components on the caller's thread (a store, a
 * publisher), so the detector must never wait for it: when the queue is
 * full the new item is dropped and counted. Items are handed to the sink in
 * arrival order; an exception from the sink is logged and counted, and the
 * thread goes on.
 */
final class EmitQueue<T> {

    private static final Logger LOG = LoggerFactory.getLogger(EmitQueue.class);

    private final BlockingQueue<T> queue;
    private final int capacity;
    private final Consumer<T> sink;
    private final Thread thread;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private volatile boolean running = true;

    EmitQueue(int capacity, Consumer<T> sink, String threadName) {
        this.capacity = capacity;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.sink = sink;
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Never blocks: false when the item was dropped (queue full or stopped). */
    boolean offer(T item) {
        if (running && queue.offer(item)) {
            return true;
        }
        long n = dropped.incrementAndGet();
        if (n == 1 || n % 1000 == 0) {
            LOG.warn("{}: {} detection message(s) dropped so far: the wire graph is slower than the detector",
                    thread.getName(), n);
        }
        return false;
    }

    /** Stops taking items, lets the thread finish the one it holds and waits at most the given time. */
    void stop(long waitMillis) {
        running = false;
        thread.interrupt();
        try {
            thread.join(waitMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int left = queue.size();
        queue.clear();
        dropped.addAndGet(left);
    }

    int capacity() {
        return capacity;
    }

    long dropped() {
        return dropped.get();
    }

    long failed() {
        return failed.get();
    }

    long delivered() {
        return delivered.get();
    }

    private void run() {
        while (running) {
            T item;
            try {
                item = queue.poll(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                break;
            }
            if (item == null) {
                continue;
            }
            try {
                sink.accept(item);
                delivered.incrementAndGet();
            } catch (RuntimeException e) {
                failed.incrementAndGet();
                LOG.warn("{}: emitting failed: {}", thread.getName(), e.toString());
            }
        }
    }
}

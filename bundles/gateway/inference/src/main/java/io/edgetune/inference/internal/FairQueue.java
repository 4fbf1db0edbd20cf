package io.edgetune.inference.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Per-camera queues of a small fixed depth served round robin, so a busy
 * camera cannot starve a quiet one. A full camera queue drops its oldest
 * request (handed to the drop callback, e.g. to release its frame): the
 * newest frame is the most useful one.
 */
public final class FairQueue<T> {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Map<String, ArrayDeque<T>> queues = new LinkedHashMap<>();
    private final List<String> ring = new ArrayList<>();
    private final Consumer<T> onDrop;
    private int depth;
    private int next;
    private int size;
    private long dropped;

    public FairQueue(int depth, Consumer<T> onDrop) {
        this.depth = Math.max(1, depth);
        this.onDrop = onDrop;
    }

    public void setDepth(int newDepth) {
        lock.lock();
        try {
            depth = Math.max(1, newDepth);
            for (ArrayDeque<T> q : queues.values()) {
                while (q.size() > depth) {
                    dropOldest(q);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Queues a request of a camera; returns false when an older one of that camera was dropped for it. */
    public boolean offer(String key, T item) {
        lock.lock();
        try {
            ArrayDeque<T> q = queues.get(key);
            if (q == null) {
                q = new ArrayDeque<>(depth + 1);
                queues.put(key, q);
                ring.add(key);
            }
            boolean kept = true;
            while (q.size() >= depth) {
                dropOldest(q);
                kept = false;
            }
            q.addLast(item);
            size++;
            notEmpty.signal();
            return kept;
        } finally {
            lock.unlock();
        }
    }

    private void dropOldest(ArrayDeque<T> q) {
        T old = q.pollFirst();
        size--;
        dropped++;
        if (onDrop != null) {
            onDrop.accept(old);
        }
    }

    /** The next request in round-robin order over cameras, waiting up to the timeout; null if none. */
    public T poll(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        lock.lock();
        try {
            while (size == 0) {
                if (nanos <= 0) {
                    return null;
                }
                nanos = notEmpty.awaitNanos(nanos);
            }
            for (int k = 0; k < ring.size(); k++) {
                int idx = (next + k) % ring.size();
                ArrayDeque<T> q = queues.get(ring.get(idx));
                T item = q.pollFirst();
                if (item != null) {
                    size--;
                    next = (idx + 1) % ring.size();
                    return item;
                }
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    /** Removes everything queued (e.g. on shutdown) and hands each to the consumer. */
    public void drain(Consumer<T> sink) {
        lock.lock();
        try {
            for (ArrayDeque<T> q : queues.values()) {
                T t;
                while ((t = q.pollFirst()) != null) {
                    size--;
                    sink.accept(t);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    public int size() {
        lock.lock();
        try {
            return size;
        } finally {
            lock.unlock();
        }
    }

    public long dropped() {
        lock.lock();
        try {
            return dropped;
        } finally {
            lock.unlock();
        }
    }
}

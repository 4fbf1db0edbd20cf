package io.edgetune.uploader.internal;

/**
 * One daemon thread running a loop until stopped. The loop polls
 * {@link #running()}; {@link #stop} clears it, interrupts the thread out of
 * any wait and joins it for a bounded time, so deactivation never hangs.
 */
final class WorkerThread {

    private final String name;
    private final Runnable loop;
    private volatile boolean running;
    private Thread thread;

    WorkerThread(String name, Runnable loop) {
        this.name = name;
        this.loop = loop;
    }

    boolean running() {
        return running;
    }

    synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = new Thread(loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    void stop(long timeoutMillis) {
        Thread t;
        synchronized (this) {
            running = false;
            t = thread;
            thread = null;
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(timeoutMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

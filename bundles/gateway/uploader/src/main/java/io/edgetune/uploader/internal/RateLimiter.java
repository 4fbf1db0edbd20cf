package io.edgetune.uploader.internal;

/**
 * Token bucket: {@code ratePerSecond} messages on average, bursts up to
 * {@code burst}. Time comes from the caller so tests need no sleeping.
 */
public final class RateLimiter {

    private final double ratePerNano;
    private final double burst;
    private double tokens;
    private long lastNanos;
    private boolean started;

    public RateLimiter(double ratePerSecond, int burst) {
        if (ratePerSecond <= 0 || burst < 1) {
            throw new IllegalArgumentException("rate must be positive and burst at least 1");
        }
        this.ratePerNano = ratePerSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
    }

    /** Takes one token if available. */
    public synchronized boolean tryAcquire(long nowNanos) {
        if (started) {
            tokens = Math.min(burst, tokens + (nowNanos - lastNanos) * ratePerNano);
        }
        started = true;
        lastNanos = nowNanos;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}

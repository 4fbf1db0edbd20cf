package io.edgetune.uploader.internal;

/**
 * Gateway-wide bandwidth budget for samples: a token bucket of bytes that
 * refills at {@code bytesPerHour / 3600} per second and holds at most
 * {@code burstBytes}. A sample reserves its estimated size before encoding;
 * once the JPEG exists the difference is settled (the balance may go
 * negative, which delays the next sample). Time comes from the caller.
 */
public final class ByteBudget {

    private final double bytesPerMilli;
    private final double burst;
    private double tokens;
    private long lastMillis;
    private boolean started;

    /** @param bytesPerHour 0 or less: unlimited */
    public ByteBudget(long bytesPerHour, long burstBytes) {
        this.bytesPerMilli = bytesPerHour <= 0 ? -1 : bytesPerHour / 3_600_000.0;
        this.burst = Math.max(1, burstBytes);
        this.tokens = this.burst;
    }

    public boolean unlimited() {
        return bytesPerMilli < 0;
    }

    private void refill(long nowMillis) {
        if (started) {
            tokens = Math.min(burst, tokens + Math.max(0, nowMillis - lastMillis) * bytesPerMilli);
        }
        started = true;
        lastMillis = nowMillis;
    }

    /** Takes {@code bytes} if the bucket holds them. */
    public synchronized boolean tryReserve(long bytes, long nowMillis) {
        if (unlimited()) {
            return true;
        }
        refill(nowMillis);
        if (tokens >= bytes) {
            tokens -= bytes;
            return true;
        }
        return false;
    }

    /** Gives back ({@code delta > 0}) or takes more ({@code delta < 0}) once the real size is known. */
    public synchronized void settle(long delta) {
        if (!unlimited()) {
            tokens = Math.min(burst, tokens + delta);
        }
    }

    public synchronized double available() {
        return unlimited() ? Double.POSITIVE_INFINITY : tokens;
    }
}

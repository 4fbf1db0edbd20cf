package io.edgetune.uploader.internal;

/**
 * At most {@code perHour} events in any sliding hour: a ring of the last
 * {@code perHour} admission times (allocated once). Not thread-safe; the
 * caller holds the camera's lock.
 */
public final class HourlyQuota {

    static final long HOUR_MILLIS = 3_600_000L;

    private final long[] times;
    private int next;
    private int count;

    /** @param perHour 0 or less: unlimited */
    public HourlyQuota(int perHour) {
        this.times = perHour <= 0 ? null : new long[perHour];
    }

    public boolean available(long nowMillis) {
        // the oldest of the last perHour admissions must have left the window
        return times == null || count < times.length || nowMillis - times[next] >= HOUR_MILLIS;
    }

    public void record(long nowMillis) {
        if (times == null) {
            return;
        }
        times[next] = nowMillis;
        next = (next + 1) % times.length;
        count = Math.min(times.length, count + 1);
    }

    /** Undoes the last {@link #record} (the sample did not go out after all). */
    public void cancelLast() {
        if (times == null || count == 0) {
            return;
        }
        next = (next - 1 + times.length) % times.length;
        count--;
        // an older admission that was overwritten is lost; treating that slot as free errs on the side of sending
        times[next] = Long.MIN_VALUE / 2;
    }
}

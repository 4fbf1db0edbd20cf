package io.edgetune.evaluation;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A console progress bar: stage, frames done/total, rate and ETA. Redrawn in place on a terminal; on a pipe
 * (Maven, CI logs) one line per 10% instead.
 */
final class Progress {

    private static final int WIDTH = 30;
    private final PrintStream out;
    private final boolean terminal;
    private String stage = "";
    private int total;
    private long start;
    private long lastDraw;
    private int lastDecile = -1;

    Progress(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    void start(String stage, int total) {
        this.stage = stage;
        this.total = Math.max(1, total);
        this.start = System.nanoTime();
        this.lastDraw = 0;
        this.lastDecile = -1;
        update(0);
    }

    void update(int done) {
        long now = System.nanoTime();
        if (terminal) {
            if (now - lastDraw < 100_000_000L && done < total) {
                return;
            }
            lastDraw = now;
            out.print("\r" + line(done, now) + "   ");
            out.flush();
        } else {
            int decile = (int) (10L * done / total);
            if (decile != lastDecile) {
                lastDecile = decile;
                out.println(line(done, now));
            }
        }
    }

    void finish(String summary) {
        if (terminal) {
            out.print("\r" + " ".repeat(110) + "\r");
        }
        out.println(String.format(Locale.ROOT, "%-44s %s", stage, summary));
    }

    private String line(int done, long now) {
        int filled = (int) ((long) WIDTH * Math.min(done, total) / total);
        double seconds = (now - start) / 1e9;
        double rate = seconds > 0 ? done / seconds : 0;
        String eta = rate > 0 ? clock((total - done) / rate) : "--:--";
        return String.format(Locale.ROOT, "[%s%s] %3d%% %-40s %d/%d  %.1f/s  ETA %s", "#".repeat(filled), ".".repeat(WIDTH - filled),
                100L * done / total, stage, done, total, rate, eta);
    }

    static String clock(double seconds) {
        long s = Math.max(0, Math.round(seconds));
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}

package io.edgetune.evaluation;

import io.edgetune.api.detect.Detection;
import io.edgetune.metrics.SizeReport;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/** The report's PNG plots, drawn with Java2D (headless). */
final class Plots {

    static final Color[] STAGE_COLORS = {
        new Color(0x4E79A7), new Color(0xF28E2B), new Color(0x59A14F), new Color(0xE15759), new Color(0x76B7B2)};
    static final String[] STAGES = {"decode", "motion", "preparation", "inference", "post-processing"};
    private static final Color[] RUN_COLORS = {
        new Color(0x4E79A7), new Color(0xF28E2B), new Color(0x59A14F), new Color(0xB07AA1), new Color(0xEDC948), new Color(0x9C755F)};
    static final Color TEACHER = new Color(0x00C853);
    static final Color NAIVE = new Color(0x2979FF);
    static final Color EDGE = new Color(0xFF1744);

    private Plots() {
    }

    /** Horizontal stacked bars: CPU or wall-clock milliseconds per frame of each stage, one bar per run. */
    static void stageBars(List<RunResult> runs, boolean cpu, Path file) throws IOException {
        int rowH = 34;
        int left = 290;
        int right = 60;
        int top = 50;
        int width = 1000;
        int height = top + runs.size() * rowH + 90;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(cpu ? "CPU time per frame by stage (ms, all threads, averaged over all frames)"
                : "Wall-clock time per frame by stage (ms, averaged over all frames)", 20, 28);
        double max = 0;
        for (RunResult r : runs) {
            long[] parts = parts(r, cpu);
            max = Math.max(max, r.msPerFrame(parts[0] + parts[1] + parts[2] + parts[3] + parts[4]));
        }
        max = niceCeiling(max);
        double scale = (width - left - right) / max;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int i = 0; i < runs.size(); i++) {
            RunResult r = runs.get(i);
            int y = top + i * rowH;
            g.setColor(Color.DARK_GRAY);
            g.drawString(r.name(), 20, y + 20);
            long[] parts = parts(r, cpu);
            double x = left;
            double total = 0;
            for (int s = 0; s < parts.length; s++) {
                double ms = r.msPerFrame(parts[s]);
                total += ms;
                g.setColor(STAGE_COLORS[s]);
                g.fillRect((int) Math.round(x), y + 6, (int) Math.max(ms > 0 ? 1 : 0, Math.round(ms * scale)), rowH - 12);
                x += ms * scale;
            }
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format(Locale.ROOT, "%.1f", total), (int) x + 6, y + 21);
        }
        int axisY = top + runs.size() * rowH + 4;
        axis(g, left, axisY, width - left - right, max, "ms");
        legend(g, STAGES, STAGE_COLORS, left, axisY + 40);
        write(img, file);
    }

    /** decode, motion, preparation, inference, post-processing of one run, in nanoseconds over all frames. */
    static long[] parts(RunResult r, boolean cpu) {
        return cpu ? new long[] {r.decodeCpuNanos, r.motionCpuNanos, r.prepareCpuNanos, r.inferenceAndRestCpuNanos(), r.postCpuNanos}
                : new long[] {r.decodeNanos, r.motionNanos, r.prepareNanos, r.inferenceNanos, r.postNanos};
    }

    /** Grouped bars: recall per size bucket, one bar per run. */
    static void recallBySize(List<RunResult> runs, Path file) throws IOException {
        int width = 1000;
        int height = 470;
        int left = 70;
        int top = 60;
        int plotH = 300;
        int plotW = width - left - 40;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString("Recall vs teacher labels by object size (IoU 0.5; skipped frames have no boxes)", 20, 28);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int t = 0; t <= 4; t++) {
            int y = top + plotH - t * plotH / 4;
            g.setColor(new Color(0xDDDDDD));
            g.drawLine(left, y, left + plotW, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format(Locale.ROOT, "%.2f", t / 4.0), left - 40, y + 4);
        }
        List<SizeReport> sizes = runs.get(0).bySize;
        int groups = sizes.size();
        int groupW = plotW / groups;
        int barW = Math.max(6, (groupW - 40) / runs.size());
        String[] names = new String[runs.size()];
        Color[] colors = new Color[runs.size()];
        for (int b = 0; b < groups; b++) {
            int gx = left + b * groupW + 20;
            for (int i = 0; i < runs.size(); i++) {
                SizeReport s = runs.get(i).bySize.get(b);
                names[i] = runs.get(i).name();
                colors[i] = RUN_COLORS[i % RUN_COLORS.length];
                double v = Double.isNaN(s.recall()) ? 0 : s.recall();
                int h = (int) Math.round(v * plotH);
                g.setColor(colors[i]);
                g.fillRect(gx + i * barW, top + plotH - h, barW - 3, h);
                g.setColor(Color.DARK_GRAY);
                g.drawString(Double.isNaN(s.recall()) ? "n/a" : String.format(Locale.ROOT, "%.2f", v), gx + i * barW, top + plotH - h - 4);
            }
            SizeReport s0 = sizes.get(b);
            String label = String.format(Locale.ROOT, "%s (%s px², %d truths)", s0.name(), bucketRange(s0), s0.truths());
            g.drawString(label, gx, top + plotH + 20);
        }
        legend(g, names, colors, left, top + plotH + 50);
        write(img, file);
    }

    static String bucketRange(SizeReport s) {
        if (s.minArea() == 0) {
            return String.format(Locale.ROOT, "< %.0f²", Math.sqrt(s.maxArea()));
        }
        if (Double.isInfinite(s.maxArea())) {
            return String.format(Locale.ROOT, "≥ %.0f²", Math.sqrt(s.minArea()));
        }
        return String.format(Locale.ROOT, "%.0f²–%.0f²", Math.sqrt(s.minArea()), Math.sqrt(s.maxArea()));
    }

    /** One video frame with the teacher's boxes and two runs' boxes at the operating threshold. */
    static void annotatedFrame(byte[] bgr, int width, int height, String title, List<Detection> teacher,
                               List<Detection> naive, String naiveName, List<Detection> edge, String edgeName,
                               float threshold, Path file) throws IOException {
        BufferedImage frame = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        System.arraycopy(bgr, 0, ((DataBufferByte) frame.getRaster().getDataBuffer()).getData(), 0, width * height * 3);
        int band = 56;
        BufferedImage img = new BufferedImage(width, height + band, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img);
        g.drawImage(frame, 0, band, null);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, 10, 20);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        legend(g, new String[] {"teacher (" + teacher.size() + ")", naiveName + " (" + count(naive, threshold) + ")",
            edgeName + " (" + count(edge, threshold) + ")"}, new Color[] {TEACHER, NAIVE, EDGE}, 10, 36);
        g.translate(0, band);
        boxes(g, teacher, TEACHER, 0f, 3f, 0);
        boxes(g, naive, NAIVE, threshold, 2f, 3);
        boxes(g, edge, EDGE, threshold, 2f, -3);
        write(img, file);
    }

    private static int count(List<Detection> d, float threshold) {
        return (int) d.stream().filter(x -> x.score() >= threshold).count();
    }

    private static void boxes(Graphics2D g, List<Detection> boxes, Color c, float threshold, float stroke, int inset) {
        g.setColor(c);
        g.setStroke(new BasicStroke(stroke));
        for (Detection d : boxes) {
            if (d.score() < threshold) {
                continue;
            }
            g.drawRect(Math.round(d.x()) + inset, Math.round(d.y()) + inset,
                    Math.max(1, Math.round(d.width()) - 2 * inset), Math.max(1, Math.round(d.height()) - 2 * inset));
        }
        g.setStroke(new BasicStroke(1f));
    }

    private static Graphics2D canvas(BufferedImage img) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setColor(Color.BLACK);
        return g;
    }

    private static void axis(Graphics2D g, int x, int y, int w, double max, String unit) {
        g.setColor(Color.GRAY);
        g.drawLine(x, y, x + w, y);
        for (int t = 0; t <= 5; t++) {
            int tx = x + t * w / 5;
            g.drawLine(tx, y, tx, y + 5);
            String s = String.format(Locale.ROOT, max / 5 < 1 ? "%.1f" : "%.0f", max * t / 5);
            g.drawString(s, tx - g.getFontMetrics().stringWidth(s) / 2, y + 18);
        }
        g.drawString(unit, x + w + 8, y + 4);
    }

    private static void legend(Graphics2D g, String[] names, Color[] colors, int x, int y) {
        FontMetrics fm = g.getFontMetrics();
        int cx = x;
        for (int i = 0; i < names.length; i++) {
            g.setColor(colors[i]);
            g.fillRect(cx, y - 10, 12, 12);
            g.setColor(Color.DARK_GRAY);
            g.drawString(names[i], cx + 16, y);
            cx += 16 + fm.stringWidth(names[i]) + 18;
        }
    }

    static double niceCeiling(double v) {
        if (!(v > 0)) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }

    private static void write(BufferedImage img, Path file) throws IOException {
        if (!ImageIO.write(img, "png", file.toFile())) {
            throw new IOException("no PNG writer for " + file);
        }
    }
}

package io.edgetune.uploader.internal;

import io.edgetune.api.frame.Frame;
import java.nio.ByteBuffer;

/**
 * Novelty descriptor of a frame: a colour histogram (BGR, 4 levels per
 * channel, one 64-bin histogram per cell of a 4x4 grid) and a
 * gradient-orientation histogram (central differences on the grey image, 8
 * unsigned orientation bins weighted by magnitude, one per cell of an 8x8
 * grid), both computed on a block-averaged copy about 96 pixels wide. The
 * spatial cells make people moving across a static scene count, not only
 * global colour shifts. Descriptors are compared with the Hellinger distance
 * (0 = identical, 1 = disjoint); the distance of two frames is the larger of
 * their colour and gradient distances (lighting moves the first, layout
 * changes both).
 *
 * <p>One instance per camera and thread: all arrays are allocated once, so
 * computing a descriptor makes no garbage. Stored descriptors keep the square
 * roots of the bins, which turns each comparison into one dot product.
 */
public final class FrameHistograms {

    static final int TARGET_WIDTH = 96;
    static final int COLOUR_LEVELS = 4;
    static final int COLOUR_BINS = COLOUR_LEVELS * COLOUR_LEVELS * COLOUR_LEVELS;
    static final int COLOUR_CELLS = 4;
    static final int COLOUR_SIZE = COLOUR_BINS * COLOUR_CELLS * COLOUR_CELLS;
    static final int ORIENTATIONS = 8;
    static final int GRADIENT_CELLS = 8;
    static final int GRADIENT_SIZE = ORIENTATIONS * GRADIENT_CELLS * GRADIENT_CELLS;

    private static final float[] BOUNDARY_COS = new float[ORIENTATIONS - 1];
    private static final float[] BOUNDARY_SIN = new float[ORIENTATIONS - 1];

    static {
        for (int k = 0; k < ORIENTATIONS - 1; k++) {
            BOUNDARY_COS[k] = (float) Math.cos((k + 1) * Math.PI / ORIENTATIONS);
            BOUNDARY_SIN[k] = (float) Math.sin((k + 1) * Math.PI / ORIENTATIONS);
        }
    }

    private final int capacity;
    private final float[][] colourHistory;
    private final float[][] gradientHistory;
    private int stored;
    private int next;

    // scratch for the current frame (square roots of the normalised bins)
    private final float[] colour = new float[COLOUR_SIZE];
    private final float[] gradient = new float[GRADIENT_SIZE];
    private int smallWidth;
    private int smallHeight;
    private int[] blue = new int[0];
    private int[] green = new int[0];
    private int[] red = new int[0];
    private float[] grey = new float[0];
    private final int[] lattice = new int[3];

    /** @param capacity how many uploaded samples the frame is compared with (the last K) */
    public FrameHistograms(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("novelty history must hold at least one sample");
        }
        this.capacity = capacity;
        this.colourHistory = new float[capacity][COLOUR_SIZE];
        this.gradientHistory = new float[capacity][GRADIENT_SIZE];
    }

    /** Computes the descriptor of {@code frame} into the scratch arrays. */
    public void compute(Frame frame) {
        int w = frame.width();
        int h = frame.height();
        int step = Math.max(1, (w + TARGET_WIDTH - 1) / TARGET_WIDTH);
        int sw = w / step;
        int sh = h / step;
        if (sw < 2 || sh < 2) {
            throw new IllegalArgumentException("frame " + w + "x" + h + " is too small for novelty histograms");
        }
        if (sw != smallWidth || sh != smallHeight) {
            smallWidth = sw;
            smallHeight = sh;
            blue = new int[sw * sh];
            green = new int[sw * sh];
            red = new int[sw * sh];
            grey = new float[sw * sh];
        }
        downscale(frame.pixels(), w, step, sw, sh);
        colourHistogram(sw, sh);
        gradientHistogram(sw, sh);
    }

    /**
     * Block average over a 3x3 lattice of points per block (at 1/4, 1/2, 3/4 of
     * the block): smooth enough for the histograms at a fraction of the reads.
     */
    private void downscale(ByteBuffer px, int w, int step, int sw, int sh) {
        int rowBytes = w * Frame.CHANNELS;
        int[] offsets = lattice;
        if (offsets[2] != (3 * step) / 4 || offsets[1] != step / 2) {
            offsets[0] = step / 4;
            offsets[1] = step / 2;
            offsets[2] = (3 * step) / 4;
        }
        for (int sy = 0; sy < sh; sy++) {
            for (int sx = 0; sx < sw; sx++) {
                int b = 0;
                int g = 0;
                int r = 0;
                for (int oy = 0; oy < 3; oy++) {
                    int rowBase = (sy * step + offsets[oy]) * rowBytes;
                    for (int ox = 0; ox < 3; ox++) {
                        int i = rowBase + (sx * step + offsets[ox]) * Frame.CHANNELS;
                        b += px.get(i) & 0xff;
                        g += px.get(i + 1) & 0xff;
                        r += px.get(i + 2) & 0xff;
                    }
                }
                int k = sy * sw + sx;
                blue[k] = b / 9;
                green[k] = g / 9;
                red[k] = r / 9;
                grey[k] = 0.114f * blue[k] + 0.587f * green[k] + 0.299f * red[k];
            }
        }
    }

    private void colourHistogram(int sw, int sh) {
        java.util.Arrays.fill(colour, 0f);
        int shift = 8 - Integer.numberOfTrailingZeros(COLOUR_LEVELS);
        for (int y = 0; y < sh; y++) {
            int cy = y * COLOUR_CELLS / sh;
            for (int x = 0; x < sw; x++) {
                int i = y * sw + x;
                int cell = cy * COLOUR_CELLS + x * COLOUR_CELLS / sw;
                int bin = ((blue[i] >> shift) * COLOUR_LEVELS + (green[i] >> shift)) * COLOUR_LEVELS + (red[i] >> shift);
                colour[cell * COLOUR_BINS + bin] += 1f;
            }
        }
        sqrtNormalise(colour);
    }

    private void gradientHistogram(int sw, int sh) {
        java.util.Arrays.fill(gradient, 0f);
        for (int y = 1; y < sh - 1; y++) {
            int cy = y * GRADIENT_CELLS / sh;
            for (int x = 1; x < sw - 1; x++) {
                int i = y * sw + x;
                float gx = grey[i + 1] - grey[i - 1];
                float gy = grey[i + sw] - grey[i - sw];
                float mag = (float) Math.sqrt(gx * gx + gy * gy);
                if (mag < 1f) {
                    continue;
                }
                if (gy < 0 || (gy == 0 && gx < 0)) { // orientation is unsigned: fold into [0, pi)
                    gx = -gx;
                    gy = -gy;
                }
                int bin = 0;
                while (bin < ORIENTATIONS - 1 && gy * BOUNDARY_COS[bin] - gx * BOUNDARY_SIN[bin] > 0) {
                    bin++; // the angle lies beyond boundary (bin + 1) * pi / ORIENTATIONS
                }
                int cell = cy * GRADIENT_CELLS + x * GRADIENT_CELLS / sw;
                gradient[cell * ORIENTATIONS + bin] += mag;
            }
        }
        sqrtNormalise(gradient);
    }

    private static void sqrtNormalise(float[] h) {
        double sum = 0;
        for (float v : h) {
            sum += v;
        }
        if (sum <= 0) {
            return; // a flat image: all zero, at distance 1 from anything textured
        }
        for (int i = 0; i < h.length; i++) {
            h[i] = (float) Math.sqrt(h[i] / sum);
        }
    }

    /** Novelty of the last computed frame: min over stored samples; 1 when none is stored. */
    public double minDistance() {
        double best = 1.0;
        for (int k = 0; k < stored; k++) {
            double d = Math.max(hellinger(colour, colourHistory[k]), hellinger(gradient, gradientHistory[k]));
            best = Math.min(best, d);
        }
        return best;
    }

    /** Keeps the last computed frame as an uploaded sample (replacing the oldest when full). */
    public void remember() {
        System.arraycopy(colour, 0, colourHistory[next], 0, COLOUR_SIZE);
        System.arraycopy(gradient, 0, gradientHistory[next], 0, GRADIENT_SIZE);
        next = (next + 1) % capacity;
        stored = Math.min(capacity, stored + 1);
    }

    public int stored() {
        return stored;
    }

    private static double hellinger(float[] sqrtP, float[] sqrtQ) {
        double bc = 0;
        for (int i = 0; i < sqrtP.length; i++) {
            bc += sqrtP[i] * sqrtQ[i];
        }
        return Math.sqrt(Math.max(0, 1 - bc));
    }
}

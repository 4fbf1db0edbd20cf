package io.edgetune.inference.ssd;

import java.util.Locale;

/**
 * Anchor boxes of the TensorFlow Object Detection API's SSD "multiple grid"
 * scheme, as used by SSD MobileNet V1/V2: one grid per feature map, scales
 * spread linearly from minScale to maxScale, five aspect ratios plus one
 * interpolated-scale square per cell, and only three boxes per cell on the
 * lowest layer. Centres and sizes are normalised to the model input.
 *
 * <p>Scheme strings: {@code ssd-mobilenet-v2} or {@code ssd-mobilenet-v2:300}
 * (input size), optionally followed by {@code ;key=value} overrides:
 * {@code minScale}, {@code maxScale}, {@code maps} (feature map sizes,
 * comma-separated), {@code ratios} (aspect ratios, comma-separated),
 * {@code lowest=reduced|full}.
 */
public final class SsdAnchors {

    /** Centre y, centre x, height, width per anchor. */
    final float[] cy;
    final float[] cx;
    final float[] h;
    final float[] w;

    private SsdAnchors(int n) {
        cy = new float[n];
        cx = new float[n];
        h = new float[n];
        w = new float[n];
    }

    public int count() {
        return cy.length;
    }

    public float centerY(int i) {
        return cy[i];
    }

    public float centerX(int i) {
        return cx[i];
    }

    public float height(int i) {
        return h[i];
    }

    public float width(int i) {
        return w[i];
    }

    /** Builds the anchors described by a scheme string (see class doc) for an input of the given size. */
    public static SsdAnchors fromScheme(String scheme, int inputSize) {
        String s = scheme == null || scheme.isBlank() ? "ssd-mobilenet-v2" : scheme.trim();
        String[] parts = s.split(";");
        String head = parts[0].trim();
        int size = inputSize;
        int colon = head.indexOf(':');
        if (colon >= 0) {
            size = Integer.parseInt(head.substring(colon + 1).trim());
            head = head.substring(0, colon);
        }
        if (!head.toLowerCase(Locale.ROOT).startsWith("ssd")) {
            throw new IllegalArgumentException("unknown anchor scheme '" + scheme + "' (expected ssd-mobilenet-v2[:size][;key=value...])");
        }
        double minScale = 0.2;
        double maxScale = 0.95;
        double[] ratios = {1.0, 2.0, 0.5, 3.0, 1.0 / 3.0};
        boolean reducedLowest = true;
        // feature maps of MobileNetV2-SSD: strides 16, 32, 64, 128, 256, 512
        int[] maps = new int[6];
        for (int i = 0; i < maps.length; i++) {
            maps[i] = (int) Math.ceil(size / (double) (16 << i));
        }
        for (int i = 1; i < parts.length; i++) {
            String[] kv = parts[i].split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("bad anchor option '" + parts[i] + "' in '" + scheme + "'");
            }
            String key = kv[0].trim();
            String value = kv[1].trim();
            switch (key) {
                case "minScale" -> minScale = Double.parseDouble(value);
                case "maxScale" -> maxScale = Double.parseDouble(value);
                case "maps" -> maps = parseInts(value);
                case "ratios" -> ratios = parseDoubles(value);
                case "lowest" -> reducedLowest = !"full".equals(value);
                default -> throw new IllegalArgumentException("unknown anchor option '" + key + "' in '" + scheme + "'");
            }
        }
        return build(maps, minScale, maxScale, ratios, reducedLowest);
    }

    static SsdAnchors build(int[] maps, double minScale, double maxScale, double[] ratios, boolean reducedLowest) {
        int layers = maps.length;
        double[] scales = new double[layers + 1];
        for (int i = 0; i < layers; i++) {
            scales[i] = layers == 1 ? minScale : minScale + (maxScale - minScale) * i / (layers - 1);
        }
        scales[layers] = 1.0;
        int total = 0;
        double[][] boxH = new double[layers][];
        double[][] boxW = new double[layers][];
        for (int l = 0; l < layers; l++) {
            double[][] specs; // {scale, ratio}
            if (l == 0 && reducedLowest) {
                specs = new double[][] {{0.1, 1.0}, {scales[0], 2.0}, {scales[0], 0.5}};
            } else {
                specs = new double[ratios.length + 1][];
                for (int r = 0; r < ratios.length; r++) {
                    specs[r] = new double[] {scales[l], ratios[r]};
                }
                specs[ratios.length] = new double[] {Math.sqrt(scales[l] * scales[l + 1]), 1.0};
            }
            boxH[l] = new double[specs.length];
            boxW[l] = new double[specs.length];
            for (int k = 0; k < specs.length; k++) {
                double root = Math.sqrt(specs[k][1]);
                boxH[l][k] = specs[k][0] / root;
                boxW[l][k] = specs[k][0] * root;
            }
            total += maps[l] * maps[l] * specs.length;
        }
        SsdAnchors a = new SsdAnchors(total);
        int n = 0;
        for (int l = 0; l < layers; l++) {
            int m = maps[l];
            for (int row = 0; row < m; row++) {
                for (int col = 0; col < m; col++) {
                    for (int k = 0; k < boxH[l].length; k++) {
                        a.cy[n] = (float) ((row + 0.5) / m);
                        a.cx[n] = (float) ((col + 0.5) / m);
                        a.h[n] = (float) boxH[l][k];
                        a.w[n] = (float) boxW[l][k];
                        n++;
                    }
                }
            }
        }
        return a;
    }

    private static int[] parseInts(String csv) {
        String[] p = csv.split(",");
        int[] r = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            r[i] = Integer.parseInt(p[i].trim());
        }
        return r;
    }

    private static double[] parseDoubles(String csv) {
        String[] p = csv.split(",");
        double[] r = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            String t = p[i].trim();
            int slash = t.indexOf('/');
            r[i] = slash > 0 ? Double.parseDouble(t.substring(0, slash)) / Double.parseDouble(t.substring(slash + 1)) : Double.parseDouble(t);
        }
        return r;
    }
}

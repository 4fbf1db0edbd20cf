package io.edgetune.tracker.engine;

/**
 * A box (centre x, centre y, width, height) under a constant-velocity model: one
 * position-velocity Kalman filter per coordinate. SORT and ByteTrack keep an
 * 8-dimensional filter whose covariance is block diagonal in the same pairs, so
 * the four small filters are the same model without matrix code. Noise scales
 * with the box height, so near (large) and far (small) objects behave alike.
 * Velocities are per second: the tracker sees frames at uneven intervals
 * (motion gating skips frames).
 */
final class KalmanBox {

    /** Process noise per second, in box heights: position and velocity. */
    private static final double Q_POS = 0.1;
    private static final double Q_VEL = 0.3;
    /** Measurement noise, in box heights. */
    private static final double R = 0.05;
    /** Initial uncertainty of the (unknown) velocity, box heights per second. */
    private static final double V0 = 1.0;

    private final double[] p = new double[4];
    private final double[] v = new double[4];
    private final double[] p00 = new double[4];
    private final double[] p01 = new double[4];
    private final double[] p11 = new double[4];
    // the state before the last predict, for restore()
    private final double[] sp = new double[4];
    private final double[] sv = new double[4];
    private final double[] s00 = new double[4];
    private final double[] s01 = new double[4];
    private final double[] s11 = new double[4];

    KalmanBox(float x, float y, float w, float h) {
        p[0] = x + w / 2.0;
        p[1] = y + h / 2.0;
        p[2] = w;
        p[3] = h;
        double s = Math.max(h, 1);
        for (int i = 0; i < 4; i++) {
            p00[i] = sq(R * s * 2);
            p01[i] = 0;
            p11[i] = sq(V0 * s);
        }
    }

    /** Advances the state by {@code dt} seconds; {@link #restore()} undoes it. */
    void predict(double dt) {
        System.arraycopy(p, 0, sp, 0, 4);
        System.arraycopy(v, 0, sv, 0, 4);
        System.arraycopy(p00, 0, s00, 0, 4);
        System.arraycopy(p01, 0, s01, 0, 4);
        System.arraycopy(p11, 0, s11, 0, 4);
        double s = Math.max(p[3], 1);
        double q0 = sq(Q_POS * s) * dt;
        double q1 = sq(Q_VEL * s) * dt;
        for (int i = 0; i < 4; i++) {
            p[i] += v[i] * dt;
            p00[i] += 2 * dt * p01[i] + dt * dt * p11[i] + q0;
            p01[i] += dt * p11[i];
            p11[i] += q1;
        }
        // a box never shrinks to nothing on its own
        p[2] = Math.max(p[2], 1);
        p[3] = Math.max(p[3], 1);
    }

    /** Back to the state before the last {@link #predict}. */
    void restore() {
        System.arraycopy(sp, 0, p, 0, 4);
        System.arraycopy(sv, 0, v, 0, 4);
        System.arraycopy(s00, 0, p00, 0, 4);
        System.arraycopy(s01, 0, p01, 0, 4);
        System.arraycopy(s11, 0, p11, 0, 4);
    }

    void update(float x, float y, float w, float h) {
        double r = sq(R * Math.max(h, 1));
        update(0, x + w / 2.0, r);
        update(1, y + h / 2.0, r);
        update(2, w, r);
        update(3, h, r);
    }

    private void update(int i, double z, double r) {
        double y = z - p[i];
        double s = p00[i] + r;
        double k0 = p00[i] / s;
        double k1 = p01[i] / s;
        p[i] += k0 * y;
        v[i] += k1 * y;
        double n00 = (1 - k0) * p00[i];
        double n01 = (1 - k0) * p01[i];
        double n11 = p11[i] - k1 * p01[i];
        p00[i] = n00;
        p01[i] = n01;
        p11[i] = n11;
    }

    /** Forgets the motion (an object that stopped, or one the detector did not look at). */
    void stop() {
        for (int i = 0; i < 4; i++) {
            v[i] = 0;
        }
    }

    float x() {
        return (float) (p[0] - p[2] / 2);
    }

    float y() {
        return (float) (p[1] - p[3] / 2);
    }

    float width() {
        return (float) p[2];
    }

    float height() {
        return (float) p[3];
    }

    private static double sq(double d) {
        return d * d;
    }
}

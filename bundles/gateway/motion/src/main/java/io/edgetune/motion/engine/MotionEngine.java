package io.edgetune.motion.engine;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_32S;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.absdiff;
import static org.bytedeco.opencv.global.opencv_core.bitwise_and;
import static org.bytedeco.opencv.global.opencv_core.countNonZero;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_NEAREST;
import static org.bytedeco.opencv.global.opencv_core.BORDER_REPLICATE;
import static org.bytedeco.opencv.global.opencv_core.NORM_L1;
import static org.bytedeco.opencv.global.opencv_core.norm;
import static org.bytedeco.opencv.global.opencv_imgproc.createHanningWindow;
import static org.bytedeco.opencv.global.opencv_imgproc.phaseCorrelate;
import static org.bytedeco.opencv.global.opencv_imgproc.warpAffine;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_ELLIPSE;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_OPEN;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_BINARY;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;
import static org.bytedeco.opencv.global.opencv_imgproc.accumulateWeighted;
import static org.bytedeco.opencv.global.opencv_imgproc.connectedComponents;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.dilate;
import static org.bytedeco.opencv.global.opencv_imgproc.fillPoly;
import static org.bytedeco.opencv.global.opencv_imgproc.getStructuringElement;
import static org.bytedeco.opencv.global.opencv_imgproc.morphologyEx;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.bytedeco.opencv.global.opencv_imgproc.threshold;
import static org.bytedeco.opencv.global.opencv_video.createBackgroundSubtractorMOG2;

import io.edgetune.api.frame.Frame;
import io.edgetune.api.motion.MotionResult;
import io.edgetune.api.motion.MotionResult.State;
import io.edgetune.api.motion.Region;
import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Point2d;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_video.BackgroundSubtractorMOG2;

/**
 * Motion for one camera, free of OSGi: downscale to a small grayscale frame,
 * compare with a background model, clean the mask (mask polygons, opening,
 * dilation), find the moving blobs, map them back to full resolution and
 * turn them into detector crops. Not thread-safe: one worker thread calls it.
 * Every Mat is allocated once and reused while the frame size stays the same.
 */
public final class MotionEngine implements AutoCloseable {

    /** Smallest shift (processing pixels) treated as camera shake. */
    private static final double MIN_SHIFT = 1.25;

    /** A profile offset counts as a shift candidate only if it leaves at most this share of the difference at offset 0. */
    private static final double OFFSET_GAIN = 0.9;

    private final MotionSettings settings;
    private final RegionProposer proposer;

    /** Frame buffers wrapped as Mats, so a pooled frame is wrapped only once. */
    private final Map<ByteBuffer, Mat> wrapped = new IdentityHashMap<>();

    private final Mat smallBgr = new Mat();
    private final Mat gray = new Mat();
    private final Mat foreground = new Mat();
    private final Mat blobs = new Mat();
    private final Mat labels = new Mat();
    private IntBuffer labelValues;
    private int[] boxes = new int[0];
    private final Mat backgroundF = new Mat();
    private final Mat background8 = new Mat();
    private final Mat kernel;
    private final Point anchor = new Point(-1, -1);
    private final Scalar zero = new Scalar(0.0);
    private Size smallSize;
    private final Mat referenceF = new Mat();
    private final Mat referenceGray = new Mat();
    private final Mat noMask = new Mat();
    private final Mat currentF = new Mat();
    private final Mat hanning = new Mat();
    private final Mat stabilized = new Mat();
    private final Mat shiftMatrix = new Mat(2, 3, org.bytedeco.opencv.global.opencv_core.CV_64F);
    private final double[] peak = new double[1];
    private double lastShift;
    private int appliedDx;
    private int appliedDy;
    private java.nio.DoubleBuffer shiftValues;
    private int[] colSum = new int[0];
    private int[] rowSum = new int[0];
    private int[] referenceCols = new int[0];
    private int[] referenceRows = new int[0];
    private int maxProjectionShift;
    private long correlations;
    private Size midSize;
    private final Mat midBgr = new Mat();
    private Size blurKernel;
    private Mat watchMask;
    private ByteBuffer grayPixels;
    private BackgroundSubtractorMOG2 mog2;

    private int fullWidth;
    private int fullHeight;
    private int smallWidth;
    private int smallHeight;
    private int watchedPixels;

    private long framesSinceReset;
    private int relearnLeft;
    private double referenceMean = -1;
    private double lastMotionRatio;
    private final List<Region> moving = new ArrayList<>();

    public MotionEngine(MotionSettings settings) {
        this.settings = settings;
        this.proposer = new RegionProposer(settings);
        this.kernel = getStructuringElement(MORPH_ELLIPSE, new Size(settings.morphSize(), settings.morphSize()));
        if (settings.blurSize() > 1) {
            blurKernel = new Size(settings.blurSize(), settings.blurSize());
        }
    }

    public MotionSettings settings() {
        return settings;
    }

    /** Processes a pooled frame; its direct buffer is wrapped, not copied. */
    public MotionResult process(Frame frame) {
        return process(wrap(frame), frame);
    }

    /** Processes a BGR image; {@code frame} only travels along into the result (may be null in tests). */
    public MotionResult process(Mat bgr, Frame frame) {
        long t0 = System.nanoTime();
        prepare(bgr.cols(), bgr.rows());
        if (midSize != null) {
            // INTER_AREA at an odd ratio costs milliseconds and bilinear sampling of the full frame still reads
            // most of its rows (0.3 ms); picking every k-th pixel to twice the size and then an exact 2:1 area
            // step reads only 4 pixels per output pixel (0.03 ms) and still averages them against noise
            resize(bgr, midBgr, midSize, 0, 0, INTER_NEAREST);
            resize(midBgr, smallBgr, smallSize, 0, 0, INTER_AREA);
        } else {
            resize(bgr, smallBgr, smallSize, 0, 0, INTER_AREA);
        }
        cvtColor(smallBgr, gray, COLOR_BGR2GRAY);
        if (blurKernel != null) {
            GaussianBlur(gray, gray, blurKernel, 0);
        }
        double mean = meanGray();
        moving.clear();
        boolean shaken = settings.stabilize() && framesSinceReset > 0 && !stabilize();

        if (framesSinceReset == 0) {
            learnFresh();
            referenceMean = mean;
            framesSinceReset = 1;
            foreground.put(zero);
            return result(frame, List.of(), 0, State.WARMUP, t0);
        }

        boolean lightingJump = Math.abs(mean - referenceMean) / Math.max(referenceMean, 8) > settings.lightingChange();
        subtractBackground();
        if (watchMask != null) {
            bitwise_and(foreground, watchMask, foreground);
        }
        if (appliedDx > 0 || appliedDy > 0) {
            clearBorder(appliedDx, appliedDy);
        }
        double rawRatio = (double) countNonZero(foreground) / watchedPixels;
        boolean settled = framesSinceReset > settings.warmupFrames() && relearnLeft == 0;
        if (lightingJump || shaken || (settled && rawRatio > settings.globalChange())) {
            // the whole scene changed at once (lights, exposure, a knock on the camera): start the background again
            learnFresh();
            referenceMean = mean;
            relearnLeft = settings.relearnFrames();
            foreground.put(zero);
            return result(frame, List.of(), rawRatio, State.LIGHTING_RESET, t0);
        }
        referenceMean += 0.1 * (mean - referenceMean);
        framesSinceReset++;
        if (relearnLeft > 0) {
            relearnLeft--;
            return result(frame, List.of(), 0, State.LIGHTING_RESET, t0);
        }
        if (framesSinceReset <= settings.warmupFrames()) {
            return result(frame, List.of(), 0, State.WARMUP, t0);
        }

        morphologyEx(foreground, foreground, MORPH_OPEN, kernel);
        double ratio = (double) countNonZero(foreground) / watchedPixels;
        // join the parts of one person (head, torso, legs) into one blob
        dilate(foreground, blobs, kernel, anchor, 2, org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT, zero);
        findMovingAreas();
        List<Region> regions = proposer.propose(moving, fullWidth, fullHeight);
        return result(frame, regions, ratio, regions.isEmpty() ? State.STATIC : State.MOTION, t0);
    }

    /** Forgets the background; the next frames warm up again. */
    public void reset() {
        framesSinceReset = 0;
        relearnLeft = 0;
    }

    /** Moving areas of the last frame, in full-frame pixels, before they became crops. */
    public List<Region> lastMovingAreas() {
        return List.copyOf(moving);
    }

    /** Cleaned motion mask of the last frame at processing size (255 = moved); valid until the next call. */
    public Mat lastMask() {
        return foreground;
    }

    public double lastMotionRatio() {
        return lastMotionRatio;
    }

    public int processWidth() {
        return smallWidth;
    }

    public int processHeight() {
        return smallHeight;
    }

    private MotionResult result(Frame frame, List<Region> regions, double ratio, State state, long t0) {
        lastMotionRatio = ratio;
        boolean full = RegionProposer.isFullFrame(regions, fullWidth, fullHeight);
        return new MotionResult(frame, regions, ratio, full, state, System.nanoTime() - t0);
    }

    private void prepare(int width, int height) {
        if (width == fullWidth && height == fullHeight) {
            return;
        }
        fullWidth = width;
        fullHeight = height;
        smallHeight = Math.min(settings.processHeight(), height);
        smallWidth = Math.max(1, (int) Math.round((double) width * smallHeight / height));
        smallSize = new Size(smallWidth, smallHeight);
        midSize = height > 2 * smallHeight ? new Size(2 * smallWidth, 2 * smallHeight) : null;
        gray.create(smallHeight, smallWidth, CV_8UC1);
        grayPixels = gray.createBuffer();
        foreground.create(smallHeight, smallWidth, CV_8UC1);
        labels.create(smallHeight, smallWidth, org.bytedeco.opencv.global.opencv_core.CV_32SC1);
        labelValues = labels.createBuffer();
        watchMask = buildWatchMask();
        createHanningWindow(hanning, smallSize, CV_32F);
        try (Mat identity = Mat.eye(2, 3, org.bytedeco.opencv.global.opencv_core.CV_64F).asMat()) {
            identity.copyTo(shiftMatrix);
        }
        shiftValues = shiftMatrix.createBuffer();
        colSum = new int[smallWidth];
        rowSum = new int[smallHeight];
        referenceCols = new int[smallWidth];
        referenceRows = new int[smallHeight];
        // a shift beyond shake.max resets the background anyway; one pixel more so such a shift is still seen
        maxProjectionShift = Math.max(2, (int) Math.ceil(settings.maxShake() * smallWidth) + 1);
        watchedPixels = watchMask == null ? smallWidth * smallHeight : Math.max(1, countNonZero(watchMask));
        // a new size needs a new background
        framesSinceReset = 0;
        relearnLeft = 0;
    }

    /** 255 where motion counts, 0 inside the mask polygons; null when there are no masks. */
    private Mat buildWatchMask() {
        if (settings.masks().isEmpty()) {
            return null;
        }
        Mat mask = new Mat(smallHeight, smallWidth, CV_8UC1, new Scalar(255.0));
        MatVector polygons = new MatVector(settings.masks().size());
        for (int p = 0; p < settings.masks().size(); p++) {
            MaskPolygon poly = settings.masks().get(p);
            int[] xy = new int[poly.size() * 2];
            for (int i = 0; i < poly.size(); i++) {
                xy[2 * i] = (int) Math.round(poly.xs()[i] * smallWidth);
                xy[2 * i + 1] = (int) Math.round(poly.ys()[i] * smallHeight);
            }
            Mat points = new Mat(poly.size(), 1, org.bytedeco.opencv.global.opencv_core.CV_32SC2);
            IntBuffer ib = points.createBuffer();
            ib.put(xy);
            polygons.put(p, points);
        }
        fillPoly(mask, polygons, new Scalar(0.0));
        return mask;
    }

    private double meanGray() {
        long sum = 0;
        int n = smallWidth * smallHeight;
        for (int i = 0; i < n; i++) {
            sum += grayPixels.get(i) & 0xff;
        }
        return (double) sum / n;
    }

    /**
     * Aligns the gray frame to the reference frame of the background by the
     * shift phase correlation finds. False when the shift is too large to
     * align (the camera was moved): the background must start again.
     */
    private boolean stabilize() {
        appliedDx = 0;
        appliedDy = 0;
        if (!projectionsShifted()) {
            // the cheap test says the frame lies where the reference lies: no phase correlation (0.4 ms) needed
            lastShift = 0;
            return true;
        }
        correlations++;
        gray.convertTo(currentF, CV_32F);
        Point2d shift = phaseCorrelate(referenceF, currentF, hanning, peak);
        double dx = shift.x();
        double dy = shift.y();
        shift.close();
        lastShift = Math.hypot(dx, dy);
        // people moving across a still scene bias the estimate by up to about a pixel: only a larger shift is shake
        if (peak[0] < 0.1 || lastShift < MIN_SHIFT) {
            lastShift = 0;
            return true;
        }
        // whole pixels: an interpolated frame would differ from the background along every edge
        shiftValues.put(2, -Math.rint(dx)).put(5, -Math.rint(dy));
        warpAffine(gray, stabilized, shiftMatrix, smallSize, INTER_LINEAR, BORDER_REPLICATE, zero);
        // a real shift brings the frame clearly closer to the reference; a spurious estimate does not
        double before = norm(referenceGray, gray, NORM_L1, noMask);
        double after = norm(referenceGray, stabilized, NORM_L1, noMask);
        if (after >= 0.8 * before) {
            lastShift = 0;
            return true;
        }
        if (lastShift > settings.maxShake() * smallWidth) {
            return false;
        }
        stabilized.copyTo(gray);
        appliedDx = (int) Math.abs(Math.rint(dx));
        appliedDy = (int) Math.abs(Math.rint(dy));
        return true;
    }

    /**
     * Whether the frame's row and column brightness profiles match the reference's best at an offset of at
     * least the shake bar. A camera shift moves both profiles as a whole; people walking change them locally and
     * leave the best match at zero, or a pixel off, so on a still camera this test (about 10 microseconds) replaces the phase
     * correlation. A shift it reports is only a candidate: {@link #stabilize} still measures and checks it.
     */
    private boolean projectionsShifted() {
        project(colSum, rowSum);
        int dx = bestOffset(colSum, referenceCols, maxProjectionShift);
        int dy = bestOffset(rowSum, referenceRows, maxProjectionShift);
        // the same bar as below (1.25 px): walkers move one profile's best match by a pixel now and then
        return Math.hypot(dx, dy) >= MIN_SHIFT;
    }

    private void project(int[] cols, int[] rows) {
        java.util.Arrays.fill(cols, 0);
        for (int y = 0, i = 0; y < smallHeight; y++) {
            int row = 0;
            for (int x = 0; x < smallWidth; x++, i++) {
                int v = grayPixels.get(i) & 0xff;
                cols[x] += v;
                row += v;
            }
            rows[y] = row;
        }
    }

    /**
     * The offset in [-max, max] at which {@code current} matches {@code reference} best (mean absolute difference),
     * or 0 when that match is not clearly better than no offset: a shifted camera moves the whole profile, so the
     * right offset removes most of the difference, while people walking leave as much difference at the best offset as
     * at none.
     */
    private static int bestOffset(int[] current, int[] reference, int max) {
        int best = 0;
        double bestCost = Double.MAX_VALUE;
        double costAtZero = 0;
        for (int d = -max; d <= max; d++) {
            double cost = offsetCost(current, reference, d);
            if (d == 0) {
                costAtZero = cost;
            }
            // ties go to the smaller shift, so a flat profile never invents one
            if (cost < bestCost || (cost == bestCost && Math.abs(d) < Math.abs(best))) {
                bestCost = cost;
                best = d;
            }
        }
        return bestCost <= OFFSET_GAIN * costAtZero ? best : 0;
    }

    private static double offsetCost(int[] current, int[] reference, int d) {
        int n = current.length;
        long sum = 0;
        int from = Math.max(0, d);
        int to = Math.min(n, n + d);
        for (int i = from; i < to; i++) {
            sum += Math.abs(current[i] - reference[i - d]);
        }
        return (double) sum / Math.max(1, to - from);
    }

    /** The strips a stabilising shift filled by replication are not evidence of motion. */
    private void clearBorder(int bx, int by) {
        if (bx > 0) {
            try (Mat left = foreground.colRange(0, bx); Mat right = foreground.colRange(smallWidth - bx, smallWidth)) {
                left.put(zero);
                right.put(zero);
            }
        }
        if (by > 0) {
            try (Mat top = foreground.rowRange(0, by); Mat bottom = foreground.rowRange(smallHeight - by, smallHeight)) {
                top.put(zero);
                bottom.put(zero);
            }
        }
    }

    /** Frames on which stabilisation had to measure the shift by phase correlation (the cheap test saw one). */
    public long phaseCorrelations() {
        return correlations;
    }

    /** Shift of the last frame against the reference, in processing pixels (0 when not stabilised). */
    public double lastShift() {
        return lastShift;
    }

    /** Makes the current gray frame the whole background. */
    private void learnFresh() {
        if (settings.stabilize()) {
            gray.convertTo(referenceF, CV_32F);
            gray.copyTo(referenceGray);
            project(referenceCols, referenceRows);
        }
        if (settings.model() == MotionSettings.Model.MOG2) {
            if (mog2 == null) {
                mog2 = createBackgroundSubtractorMOG2(settings.mog2History(), settings.mog2VarThreshold(), false);
            }
            // a learning rate of 1 re-initialises the mixture from this frame
            mog2.apply(gray, foreground, 1.0);
        } else {
            gray.convertTo(backgroundF, CV_32F);
        }
    }

    private void subtractBackground() {
        if (settings.model() == MotionSettings.Model.MOG2) {
            mog2.apply(gray, foreground, -1);
        } else {
            backgroundF.convertTo(background8, CV_8U);
            absdiff(gray, background8, foreground);
            threshold(foreground, foreground, settings.deltaThreshold(), 255, THRESH_BINARY);
            accumulateWeighted(gray, backgroundF, settings.averageAlpha());
        }
    }

    private void findMovingAreas() {
        // OpenCV's statistics pass costs four times the labelling itself on a frame this small; one scan of the
        // labels in Java gives the boxes and areas for a fifth of it
        int n = connectedComponents(blobs, labels, 8, CV_32S);
        if (n <= 1) {
            return;
        }
        if (boxes.length < n * 5) {
            boxes = new int[n * 10];
        }
        // per label: left, top, right, bottom (inclusive), area
        for (int i = 0; i < n; i++) {
            boxes[i * 5] = Integer.MAX_VALUE;
            boxes[i * 5 + 1] = Integer.MAX_VALUE;
            boxes[i * 5 + 2] = -1;
            boxes[i * 5 + 3] = -1;
            boxes[i * 5 + 4] = 0;
        }
        IntBuffer l = labelValues;
        for (int y = 0, i = 0; y < smallHeight; y++) {
            for (int x = 0; x < smallWidth; x++, i++) {
                int k = l.get(i) * 5;
                if (k == 0) {
                    continue;
                }
                if (x < boxes[k]) {
                    boxes[k] = x;
                }
                if (x > boxes[k + 2]) {
                    boxes[k + 2] = x;
                }
                if (y < boxes[k + 1]) {
                    boxes[k + 1] = y;
                }
                boxes[k + 3] = y;
                boxes[k + 4]++;
            }
        }
        double sx = (double) fullWidth / smallWidth;
        double sy = (double) fullHeight / smallHeight;
        double minSmallArea = settings.minArea() / (sx * sy);
        // label 0 is the background
        for (int i = 1; i < n; i++) {
            int area = boxes[i * 5 + 4];
            if (area < minSmallArea) {
                continue;
            }
            int x0 = (int) Math.floor(boxes[i * 5] * sx);
            int y0 = (int) Math.floor(boxes[i * 5 + 1] * sy);
            int x1 = (int) Math.min(fullWidth, Math.ceil((boxes[i * 5 + 2] + 1) * sx));
            int y1 = (int) Math.min(fullHeight, Math.ceil((boxes[i * 5 + 3] + 1) * sy));
            moving.add(new Region(x0, y0, x1 - x0, y1 - y0));
        }
    }

    /** The frame's pixels as a BGR Mat over its own buffer (no copy); valid while the frame is. */
    public Mat wrap(Frame frame) {
        ByteBuffer pixels = frame.pixels();
        Mat m = wrapped.get(pixels);
        if (m == null || m.cols() != frame.width() || m.rows() != frame.height()) {
            if (m != null) {
                m.close();
            }
            if (wrapped.size() > 32) {
                // frames of a pool that was replaced: forget their wrappers
                wrapped.values().forEach(Mat::close);
                wrapped.clear();
            }
            m = new Mat(frame.height(), frame.width(), CV_8UC3, new BytePointer(pixels));
            wrapped.put(pixels, m);
        }
        return m;
    }

    @Override
    public void close() {
        wrapped.values().forEach(Mat::close);
        wrapped.clear();
        for (Mat m : new Mat[] {referenceGray, noMask, referenceF, currentF, hanning, stabilized, shiftMatrix, midBgr, smallBgr, gray, foreground, blobs, labels, backgroundF, background8, kernel}) {
            m.close();
        }
        if (watchMask != null) {
            watchMask.close();
        }
        if (mog2 != null) {
            mog2.close();
        }
    }
}

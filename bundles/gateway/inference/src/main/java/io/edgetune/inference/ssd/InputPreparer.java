package io.edgetune.inference.ssd;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC3;
import static org.bytedeco.opencv.global.opencv_core.CV_8SC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8SC3;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.LUT;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2RGB;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import io.edgetune.api.frame.Frame;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.IdentityHashMap;
import java.util.Map;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Crop, resize, BGR to RGB and scale to [-1,1], written straight into the
 * model's input tensor. A shrink by about 2x or more goes through an exact
 * k:1 area step, then bilinear by less than 2:1: an area filter's smoothing
 * at a fifth of INTER_AREA's cost at odd ratios. Every Mat is allocated
 * once: frame headers are cached per pooled frame buffer, the crop is a
 * reusable view whose ROI is moved with adjustROI, and the output Mat wraps
 * the tensor's own memory. A quantized (uint8 or int8) input gets each
 * pixel's [-1,1] value quantized with the tensor's scale and zero point,
 * through a 256-entry table.
 * Not thread safe (one per engine).
 */
public final class InputPreparer implements AutoCloseable {

    /** Frame pools are small; more distinct buffers than this means pools were replaced, so start over. */
    private static final int MAX_CACHED_FRAMES = 64;

    private final int width;
    private final int height;
    private final Mat resized;
    private final Mat rgb;
    private final Mat tensor;
    private final Pointer tensorPointer;
    /** 8-bit inputs: pixel value to stored value; null for float inputs. */
    private final Mat lut;
    private final BytePointer lutPointer;
    private final Size size;
    /** The crop after an exact k:1 area step (see prepareRegion); reallocated only when the crop size changes. */
    private final Mat reduced = new Mat();
    private final Size reducedSize = new Size();
    private final Mat view = new Mat();
    private final Map<ByteBuffer, FrameMat> frames = new IdentityHashMap<>();

    private record FrameMat(Mat mat, BytePointer pointer, int width, int height) {
    }

    public InputPreparer(FloatBuffer input, int width, int height) {
        if (!input.isDirect() || input.capacity() < width * height * 3) {
            throw new IllegalArgumentException("input must be a direct buffer of " + width * height * 3 + " floats");
        }
        this.width = width;
        this.height = height;
        this.size = new Size(width, height);
        this.resized = new Mat(height, width, CV_8UC3);
        this.rgb = new Mat(height, width, CV_8UC3);
        // the pointer starts at the buffer's current position, which a backend may have moved: pin it to element 0
        this.tensorPointer = new FloatPointer(input).position(0);
        this.tensor = new Mat(height, width, CV_32FC3, tensorPointer);
        this.lut = null;
        this.lutPointer = null;
    }

    private InputPreparer(ByteBuffer input, int width, int height, boolean signed, float scale, int zeroPoint) {
        if (!input.isDirect() || input.capacity() < width * height * 3) {
            throw new IllegalArgumentException("input must be a direct buffer of " + width * height * 3 + " bytes");
        }
        if (!(scale > 0)) {
            throw new IllegalArgumentException("quantization scale must be positive, got " + scale);
        }
        this.width = width;
        this.height = height;
        this.size = new Size(width, height);
        this.resized = new Mat(height, width, CV_8UC3);
        this.rgb = new Mat(height, width, CV_8UC3);
        this.tensorPointer = new BytePointer(input).position(0);
        this.tensor = new Mat(height, width, signed ? CV_8SC3 : CV_8UC3, tensorPointer);
        this.lutPointer = new BytePointer(256);
        int lo = signed ? -128 : 0;
        int hi = signed ? 127 : 255;
        for (int p = 0; p < 256; p++) {
            // the same [-1,1] value the float path feeds, then the tensor's affine quantization
            float real = p / 127.5f - 1f;
            lutPointer.put(p, (byte) Math.max(lo, Math.min(hi, Math.round(real / scale) + zeroPoint)));
        }
        this.lut = new Mat(1, 256, signed ? CV_8SC1 : CV_8UC1, lutPointer);
    }

    /**
     * A preparer for an 8-bit quantized input tensor (real = scale * (q - zeroPoint)): the model sees the same
     * [-1,1] values as the float path, quantized.
     *
     * @param signed int8 when true, uint8 when false
     */
    public static InputPreparer quantized(ByteBuffer input, int width, int height, boolean signed, float scale, int zeroPoint) {
        return new InputPreparer(input, width, height, signed, scale, zeroPoint);
    }

    /** Fills the input tensor from the given pixel rectangle of the frame (clipped to the frame). */
    public void prepare(Frame frame, int x, int y, int w, int h) {
        int fw = frame.width();
        int fh = frame.height();
        int cx = Math.max(0, Math.min(x, fw - 1));
        int cy = Math.max(0, Math.min(y, fh - 1));
        int cw = Math.max(1, Math.min(w, fw - cx));
        int ch = Math.max(1, Math.min(h, fh - cy));
        prepareRegion(frameMat(frame), fw, fh, cx, cy, cw, ch);
    }

    /** Fills the input tensor from a whole BGR image (8-bit, 3 channels), as the full-frame pass does for a frame. */
    public void prepare(Mat bgr) {
        if (bgr.type() != CV_8UC3 || bgr.cols() < 1 || bgr.rows() < 1) {
            throw new IllegalArgumentException("expected a non-empty 8-bit BGR image, found type " + bgr.type()
                    + " size " + bgr.cols() + "x" + bgr.rows());
        }
        prepareRegion(bgr, bgr.cols(), bgr.rows(), 0, 0, bgr.cols(), bgr.rows());
    }

    private void prepareRegion(Mat full, int fw, int fh, int cx, int cy, int cw, int ch) {
        view.put(full);
        if (cx != 0 || cy != 0 || cw != fw || ch != fh) {
            // adjustROI moves the view's edges outwards by the given amounts; negative shrinks it
            view.adjustROI(-cy, -(fh - cy - ch), -cx, -(fw - cx - cw));
        }
        boolean shrinking = cw > width && ch > height;
        int k = shrinking ? (int) Math.round(Math.min((double) cw / width, (double) ch / height)) : 1;
        if (k >= 2 && Math.max((double) cw / k / width, (double) ch / k / height) <= 2.0) {
            // INTER_AREA at an odd ratio (768x576 to 300x300) costs 1.5 ms; OpenCV's exact k:1 area step (it needs
            // a multiple of k, so up to k-1 edge pixels are left out) and a bilinear step of less than 2:1 cost 0.3 ms
            int ew = cw - cw % k;
            int eh = ch - ch % k;
            if (ew != cw || eh != ch) {
                view.adjustROI(0, -(ch - eh), 0, -(cw - ew));
            }
            reducedSize.width(ew / k).height(eh / k);
            resize(view, reduced, reducedSize, 0, 0, INTER_AREA);
            resize(reduced, resized, size, 0, 0, INTER_LINEAR);
        } else {
            resize(view, resized, size, 0, 0, shrinking ? INTER_AREA : INTER_LINEAR);
        }
        if (lut == null) {
            cvtColor(resized, rgb, COLOR_BGR2RGB);
            rgb.convertTo(tensor, CV_32F, 1.0 / 127.5, -1.0);
        } else {
            cvtColor(resized, rgb, COLOR_BGR2RGB);
            LUT(rgb, lut, tensor);
        }
    }

    private Mat frameMat(Frame frame) {
        ByteBuffer pixels = frame.pixels();
        FrameMat m = frames.get(pixels);
        if (m != null && m.width == frame.width() && m.height == frame.height()) {
            return m.mat;
        }
        if (m != null) {
            m.mat.deallocate();
            m.pointer.deallocate();
        }
        if (frames.size() >= MAX_CACHED_FRAMES) {
            clearFrames();
        }
        BytePointer p = new BytePointer(pixels);
        p.position(0);
        Mat mat = new Mat(frame.height(), frame.width(), CV_8UC3, p);
        frames.put(pixels, new FrameMat(mat, p, frame.width(), frame.height()));
        return mat;
    }

    private void clearFrames() {
        for (FrameMat f : frames.values()) {
            f.mat.deallocate();
        }
        frames.clear();
    }

    @Override
    public void close() {
        clearFrames();
        view.deallocate();
        tensor.deallocate();
        if (lut != null) {
            lut.deallocate();
            lutPointer.deallocate();
        }
        rgb.deallocate();
        resized.deallocate();
        reduced.deallocate();
        reducedSize.deallocate();
        size.deallocate();
    }
}

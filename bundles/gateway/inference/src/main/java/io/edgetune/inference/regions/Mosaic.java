package io.edgetune.inference.regions;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import io.edgetune.api.frame.Frame;
import io.edgetune.inference.ssd.InputPreparer;
import io.edgetune.inference.ssd.SsdDecoder;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.IdentityHashMap;
import java.util.Map;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Runs the input side and the decoding side of a {@link RegionPacker.Pass}: a pass of one tile is the ordinary
 * crop preparation; a pass of several tiles is composed as a BGR image of the input's size (each crop resized
 * into its tile, unused tiles mid grey) that the input preparer then converts. Decoding maps each tile's boxes
 * back to the frame and keeps only the boxes centred in that tile. Not thread safe (one per engine).
 */
public final class Mosaic implements AutoCloseable {

    private final int inputWidth;
    private final int inputHeight;
    private final Mat canvas;
    private final Scalar grey = new Scalar(128.0, 128.0, 128.0, 0.0);
    private final Map<ByteBuffer, Mat> frames = new IdentityHashMap<>();

    public Mosaic(int inputWidth, int inputHeight) {
        this.inputWidth = inputWidth;
        this.inputHeight = inputHeight;
        this.canvas = new Mat(inputHeight, inputWidth, CV_8UC3);
    }

    /** Fills the model input for this pass. */
    public void prepare(Frame frame, RegionPacker.Pass pass, InputPreparer preparer) {
        if (pass.single(inputWidth, inputHeight)) {
            RegionPacker.Tile t = pass.tiles().get(0);
            preparer.prepare(frame, t.source().x(), t.source().y(), t.source().width(), t.source().height());
            return;
        }
        canvas.put(grey);
        Mat image = wrap(frame);
        for (RegionPacker.Tile t : pass.tiles()) {
            int x = Math.max(0, Math.min(t.source().x(), frame.width() - 1));
            int y = Math.max(0, Math.min(t.source().y(), frame.height() - 1));
            int w = Math.max(1, Math.min(t.source().width(), frame.width() - x));
            int h = Math.max(1, Math.min(t.source().height(), frame.height() - y));
            try (Rect from = new Rect(x, y, w, h); Rect to = new Rect(t.x(), t.y(), t.width(), t.height());
                 Mat src = image.apply(from); Mat dst = canvas.apply(to); Size size = new Size(t.width(), t.height())) {
                resize(src, dst, size, 0, 0, w > t.width() && h > t.height() ? INTER_AREA : INTER_LINEAR);
            }
        }
        preparer.prepare(canvas);
    }

    /** Decodes the pass's outputs into the decoder's candidates, tile by tile; {@code cropIndex} numbers the tiles. */
    public int decode(RegionPacker.Pass pass, SsdDecoder decoder, FloatBuffer boxes, FloatBuffer logits, int classes,
                      float scoreThreshold, float[] classThresholds, boolean[] allowed, int cropIndex) {
        boolean single = pass.single(inputWidth, inputHeight);
        for (RegionPacker.Tile t : pass.tiles()) {
            // the frame rectangle the whole input would show at this tile's scale and offset
            double kx = (double) t.source().width() / t.width();
            double ky = (double) t.source().height() / t.height();
            float ox = (float) (t.source().x() - t.x() * kx);
            float oy = (float) (t.source().y() - t.y() * ky);
            if (!single) {
                decoder.setWindow((float) t.x() / inputWidth, (float) t.y() / inputHeight,
                        (float) (t.x() + t.width()) / inputWidth, (float) (t.y() + t.height()) / inputHeight);
            }
            decoder.decode(boxes, logits, classes, scoreThreshold, classThresholds, allowed, ox, oy,
                    (float) (inputWidth * kx), (float) (inputHeight * ky), cropIndex++);
        }
        decoder.clearWindow();
        return cropIndex;
    }

    private Mat wrap(Frame frame) {
        ByteBuffer pixels = frame.pixels();
        Mat m = frames.get(pixels);
        if (m == null || m.cols() != frame.width() || m.rows() != frame.height()) {
            if (m != null) {
                m.close();
            }
            if (frames.size() > 32) {
                // buffers of a frame pool that was replaced
                frames.values().forEach(Mat::close);
                frames.clear();
            }
            BytePointer p = new BytePointer(pixels);
            p.position(0);
            m = new Mat(frame.height(), frame.width(), CV_8UC3, p);
            frames.put(pixels, m);
        }
        return m;
    }

    @Override
    public void close() {
        frames.values().forEach(Mat::close);
        frames.clear();
        canvas.close();
        grey.close();
    }
}

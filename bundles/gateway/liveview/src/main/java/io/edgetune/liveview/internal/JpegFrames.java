package io.edgetune.liveview.internal;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import io.edgetune.api.frame.Frame;
import java.nio.ByteBuffer;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/** A frame as a JPEG, scaled down to a width cap first, with OpenCV (reads the pooled buffer in place). */
final class JpegFrames {

    private JpegFrames() {
    }

    /** The JPEG of {@code f}, at most {@code maxWidth} wide (0: no cap). Safe from any thread while the caller holds the frame. */
    static byte[] encode(Frame f, int maxWidth, int quality) {
        ByteBuffer px = f.pixels().duplicate();
        px.clear();
        try (BytePointer data = new BytePointer(px);
             Mat img = new Mat(f.height(), f.width(), CV_8UC3, data);
             Mat scaled = new Mat();
             IntPointer params = new IntPointer(IMWRITE_JPEG_QUALITY, quality);
             BytePointer out = new BytePointer()) {
            Mat src = img;
            if (maxWidth > 0 && f.width() > maxWidth) {
                int h = Math.max(1, Math.round((float) f.height() * maxWidth / f.width()));
                try (Size size = new Size(maxWidth, h)) {
                    resize(img, scaled, size, 0, 0, INTER_AREA);
                }
                src = scaled;
            }
            if (!imencode(".jpg", src, out, params)) {
                throw new IllegalStateException("OpenCV could not encode a JPEG");
            }
            byte[] jpeg = new byte[(int) out.limit()];
            out.get(jpeg);
            return jpeg;
        }
    }
}

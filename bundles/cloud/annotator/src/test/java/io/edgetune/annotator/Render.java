package io.edgetune.annotator;

import io.edgetune.api.detect.Detection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;

/** PNGs with boxes drawn (edge pass red, teacher green) to check by eye. */
final class Render {

    private Render() {
    }

    static void png(byte[] bgr, int width, int height, List<Detection> edge, List<Detection> teacher, Path out) throws Exception {
        Files.createDirectories(out.getParent());
        try (BytePointer data = new BytePointer(bgr);
             Mat m = new Mat(height, width, org.bytedeco.opencv.global.opencv_core.CV_8UC3, data)) {
            Mat img = m.clone();
            draw(img, teacher, new Scalar(0, 220, 0, 0), 2);
            draw(img, edge, new Scalar(0, 0, 255, 0), 1);
            opencv_imgcodecs.imwrite(out.toString(), img);
            img.close();
        }
    }

    private static void draw(Mat img, List<Detection> boxes, Scalar color, int thickness) {
        for (Detection d : boxes) {
            opencv_imgproc.rectangle(img, new Point(Math.round(d.x()), Math.round(d.y())),
                    new Point(Math.round(d.right()), Math.round(d.bottom())), color, thickness, opencv_imgproc.LINE_8, 0);
        }
    }

    /** JPEG bytes of a BGR frame, as the gateway uploads samples. */
    static byte[] jpeg(byte[] bgr, int width, int height) {
        try (BytePointer data = new BytePointer(bgr);
             Mat m = new Mat(height, width, org.bytedeco.opencv.global.opencv_core.CV_8UC3, data);
             BytePointer buf = new BytePointer()) {
            opencv_imgcodecs.imencode(".jpg", m, buf);
            byte[] out = new byte[(int) buf.limit()];
            buf.get(out);
            return out;
        }
    }
}

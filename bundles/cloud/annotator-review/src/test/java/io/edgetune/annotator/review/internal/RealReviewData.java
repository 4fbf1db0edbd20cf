package io.edgetune.annotator.review.internal;

import io.edgetune.annotator.teacher.Teacher;
import io.edgetune.annotator.teacher.TeacherSettings;
import io.edgetune.api.annotate.LabelBox;
import io.edgetune.api.detect.Detection;
import io.edgetune.api.detect.Detections;
import io.edgetune.api.frame.Frame;
import io.edgetune.api.frame.FramePool;
import io.edgetune.api.model.ModelDescriptor;
import io.edgetune.inference.TestAssets;
import io.edgetune.inference.engine.DetectorSettings;
import io.edgetune.inference.engine.LoadedModel;
import io.edgetune.testsupport.VideoFrames;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;

/**
 * Real datasets for the page: frames of vtest.avi as JPEGs, labelled by the
 * annotator's teacher (full frame + tiles through the real SSD MobileNetV2)
 * and by the gateway's naive full-frame pass of the same model. Computed once
 * per JVM; every test gets its own copy on disk.
 */
final class RealReviewData {

    static final String GATEWAY = "gw-plaza-1";
    static final String CAMERA = "plaza";
    /** A camera id that would run script if the page ever parsed ids as markup. */
    static final String HOSTILE_GATEWAY = "gw-\"2\"&<b>bold</b>";
    static final String HOSTILE_CAMERA = "cam<script>window.xssRan=1</script><img src=x onerror=\"window.xssRan=2\">";
    static final int[] PLAZA_FRAMES = {0, 40, 80, 120, 160, 200};
    static final int[] HOSTILE_FRAMES = {240, 280};
    static final long EPOCH_MILLIS = 1_763_800_000_000L;

    record Labelled(int index, byte[] jpeg, List<LabelBox> teacher, List<LabelBox> edge) {
    }

    private static List<Labelled> plaza;
    private static List<Labelled> hostile;
    private static final AtomicInteger COPIES = new AtomicInteger();

    private RealReviewData() {
    }

    /** A fresh directory with both datasets and a service over it. */
    static synchronized DirectoryAnnotatorService freshService(Path root) throws Exception {
        label();
        Path dir = root.resolve("copy-" + COPIES.incrementAndGet() + "-" + System.nanoTime());
        write(dir, GATEWAY, CAMERA, plaza);
        write(dir, HOSTILE_GATEWAY, HOSTILE_CAMERA, hostile);
        return new DirectoryAnnotatorService(dir);
    }

    static synchronized List<Labelled> plaza() throws Exception {
        label();
        return plaza;
    }

    private static void write(Path dir, String gateway, String camera, List<Labelled> frames) throws Exception {
        for (Labelled l : frames) {
            // vtest.avi runs at 10 fps; the first two thirds of the frames train, the rest validate
            String split = l.index() < 160 ? "train" : "val";
            DirectoryAnnotatorService.addFrame(dir, gateway, camera, new DirectoryAnnotatorService.StoredFrame(
                    1000 + l.index(), EPOCH_MILLIS + 100L * l.index(), l.index(), split, l.teacher(), l.edge()), l.jpeg());
        }
    }

    private static void label() throws Exception {
        if (plaza != null) {
            return;
        }
        int[] all = new int[PLAZA_FRAMES.length + HOSTILE_FRAMES.length];
        System.arraycopy(PLAZA_FRAMES, 0, all, 0, PLAZA_FRAMES.length);
        System.arraycopy(HOSTILE_FRAMES, 0, all, PLAZA_FRAMES.length, HOSTILE_FRAMES.length);
        List<byte[]> bgr = decode(all);
        ModelDescriptor descriptor = descriptor("edge-v1");
        FramePool pool = new FramePool(1, DirectoryAnnotatorService.WIDTH, DirectoryAnnotatorService.HEIGHT);
        List<Labelled> out = new ArrayList<>();
        long start = System.nanoTime();
        try (LoadedModel model = model(descriptor.version())) {
            // as deployed: the gateway runs the whole frame at 0.5, the cloud's detector service 0.3 per teacher pass
            DetectorSettings gateway = DetectorSettings.defaults().withMode(Detections.Mode.FULL_FRAME).withScoreThreshold(0.5f);
            Teacher teacher = new Teacher(TestAssets.detectorService(model, DetectorSettings.defaults().withScoreThreshold(0.3f)),
                    TeacherSettings.defaults());
            for (int i = 0; i < all.length; i++) {
                Frame f = VideoFrames.frame(pool, bgr.get(i), CAMERA, all[i], EPOCH_MILLIS + 100L * all[i]);
                try {
                    List<LabelBox> edge = boxes(model.detect(f, List.of(), gateway).detections());
                    List<LabelBox> taught = boxes(teacher.label(f).finalLabels());
                    out.add(new Labelled(all[i], jpeg(bgr.get(i)), taught, edge));
                } finally {
                    f.release();
                }
            }
        }
        System.out.printf("review data: %d frames of vtest.avi labelled by teacher and gateway pass in %d ms%n",
                all.length, (System.nanoTime() - start) / 1_000_000);
        plaza = List.copyOf(out.subList(0, PLAZA_FRAMES.length));
        hostile = List.copyOf(out.subList(PLAZA_FRAMES.length, out.size()));
    }

    /** The cached SSD MobileNetV2 (OIDv4) under the given version name. */
    static ModelDescriptor descriptor(String version) throws Exception {
        return TestAssets.descriptor(version);
    }

    static LoadedModel model(String version) throws Exception {
        return TestAssets.loadModel(version);
    }

    private static List<LabelBox> boxes(List<Detection> detections) {
        List<LabelBox> out = new ArrayList<>(detections.size());
        for (Detection d : detections) {
            out.add(new LabelBox(d.label(), d.x(), d.y(), d.width(), d.height(), d.score()));
        }
        return out;
    }

    /** Packed BGR of the wanted frames, in the order asked. */
    private static List<byte[]> decode(int[] indices) throws Exception {
        Map<Integer, byte[]> frames = VideoFrames.bgr(indices);
        List<byte[]> out = new ArrayList<>();
        for (int i : indices) {
            out.add(frames.get(i));
        }
        return out;
    }

    /** JPEG as the uploader sends it; TYPE_3BYTE_BGR holds exactly the decoder's BGR bytes. */
    private static byte[] jpeg(byte[] bgr) throws Exception {
        BufferedImage img = new BufferedImage(DirectoryAnnotatorService.WIDTH, DirectoryAnnotatorService.HEIGHT, BufferedImage.TYPE_3BYTE_BGR);
        byte[] raster = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        System.arraycopy(bgr, 0, raster, 0, raster.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(img, "jpg", out)) {
            throw new IllegalStateException("no JPEG writer in this JDK");
        }
        return out.toByteArray();
    }
}

package io.edgetune.annotator.review.internal;

import io.edgetune.annotator.internal.Teacher;
import io.edgetune.annotator.internal.TeacherSettings;
import io.edgetune.api.annotate.LabelBox;
import io.edgetune.api.detect.Detection;
import io.edgetune.api.detect.DetectionException;
import io.edgetune.api.detect.Detections;
import io.edgetune.api.detect.DetectorService;
import io.edgetune.api.detect.DetectorStatus;
import io.edgetune.api.frame.Frame;
import io.edgetune.api.frame.FramePool;
import io.edgetune.api.model.ModelDescriptor;
import io.edgetune.api.motion.Region;
import io.edgetune.inference.internal.DetectorSettings;
import io.edgetune.inference.internal.EngineException;
import io.edgetune.inference.internal.EngineOptions;
import io.edgetune.inference.internal.LoadedModel;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;

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

    static Path assets() {
        return Paths.get(System.getProperty("edgetune.assets", System.getProperty("user.home") + "/.cache/edgetune"));
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
            Teacher teacher = new Teacher(new ModelDetector(model, DetectorSettings.defaults().withScoreThreshold(0.3f)),
                    TeacherSettings.defaults());
            for (int i = 0; i < all.length; i++) {
                Frame f = pool.acquire();
                try {
                    ByteBuffer p = f.pixels();
                    p.clear();
                    p.put(bgr.get(i));
                    p.clear();
                    f.fill(CAMERA, all[i], EPOCH_MILLIS + 100L * all[i], System.nanoTime(), DirectoryAnnotatorService.WIDTH,
                            DirectoryAnnotatorService.HEIGHT);
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

    static List<String> labels() throws Exception {
        List<String> labels = new ArrayList<>();
        for (String line : Files.readAllLines(assets().resolve("oidv4_labelmap.txt"), StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                labels.add(line.trim());
            }
        }
        return labels;
    }

    /** The cached SSD MobileNetV2 (OIDv4) under the given version name. */
    static ModelDescriptor descriptor(String version) throws Exception {
        return new ModelDescriptor(version, "", labels(), 300, 300, "ssd-mobilenet-v2:300", null, Map.of(), 0L, false);
    }

    static LoadedModel model(String version) throws Exception {
        return LoadedModel.load(descriptor(version), assets().resolve("ssd_mobilenetv2_oidv4_fp16.tflite"), null, "javacpp", EngineOptions.cpu(2));
    }

    private static List<LabelBox> boxes(List<Detection> detections) {
        List<LabelBox> out = new ArrayList<>(detections.size());
        for (Detection d : detections) {
            out.add(new LabelBox(d.label(), d.x(), d.y(), d.width(), d.height(), d.score()));
        }
        return out;
    }

    /** Packed BGR of the wanted frames (ascending indices), decoding the video up to the last one. */
    private static List<byte[]> decode(int[] ascending) throws Exception {
        List<byte[]> out = new ArrayList<>();
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(assets().resolve("vtest.avi").toFile())) {
            g.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
            g.start();
            int next = 0;
            for (int n = 0; next < ascending.length; n++) {
                org.bytedeco.javacv.Frame f = g.grabImage();
                if (f == null) {
                    throw new IllegalStateException("vtest.avi ends before frame " + ascending[next]);
                }
                if (n == ascending[next]) {
                    ByteBuffer src = (ByteBuffer) f.image[0];
                    int row = f.imageWidth * 3;
                    byte[] packed = new byte[row * f.imageHeight];
                    for (int y = 0; y < f.imageHeight; y++) {
                        src.position(y * f.imageStride);
                        src.get(packed, y * row, row);
                    }
                    src.position(0);
                    out.add(packed);
                    next++;
                }
            }
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

    /** The inference bundle's model runner behind the public DetectorService, as the cloud runtime offers it. */
    static final class ModelDetector implements DetectorService {
        private final LoadedModel model;
        private final DetectorSettings settings;

        ModelDetector(LoadedModel model, DetectorSettings settings) {
            this.model = model;
            this.settings = settings;
        }

        @Override
        public synchronized Detections detect(Frame frame, List<Region> regions) throws DetectionException {
            try {
                return model.detect(frame, regions, settings);
            } catch (EngineException e) {
                throw new DetectionException(e.getMessage(), e);
            }
        }

        @Override
        public DetectorStatus status() {
            throw new UnsupportedOperationException("the teacher does not ask");
        }
    }
}

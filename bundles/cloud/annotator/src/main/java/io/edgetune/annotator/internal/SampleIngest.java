package io.edgetune.annotator.internal;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.edgetune.annotator.teacher.Teacher;
import io.edgetune.api.detect.Detection;
import io.edgetune.api.detect.DetectionException;
import io.edgetune.api.frame.Frame;
import io.edgetune.api.frame.FramePool;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.util.ArrayList;
import java.nio.file.Files;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.eclipse.kura.cloudconnection.message.KuraMessage;
import org.eclipse.kura.message.KuraPayload;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns sample messages (docs/mqtt.md: metrics camera.id, frame.sequence,
 * width, height; JPEG body; timestamp = capture time) into teacher-labelled
 * dataset entries, one per gateway and camera under root/{gateway}/{camera}.
 * {@link #offer} only validates and queues (bounded: a full queue drops and
 * counts); one worker thread decodes, labels and writes.
 */
public final class SampleIngest implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SampleIngest.class);
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}");
    /** The gateway's detections body of one frame is a few KiB; anything this long is not one. */
    static final int MAX_DETECTIONS_CHARS = 1 << 20;
    /** KuraMessage property naming the sending gateway when the connection provides it. */
    public static final String GATEWAY_PROPERTY = "client.id";

    /** @param edgeTracks per gateway box its track id (0: not tracked), parallel to edge */
    record Sample(String gateway, String camera, long sequence, long timestampMillis, byte[] jpeg, List<Detection> edge,
                  long[] edgeTracks, String modelVersion) {
    }

    /** The gateway's boxes of a frame and, parallel, their track ids (0: not tracked or no tracker). */
    record EdgeBoxes(List<Detection> boxes, long[] trackIds) {
        static final EdgeBoxes NONE = new EdgeBoxes(List.of(), new long[0]);
    }

    /** A track id as the gateway writes it: a positive integer that fits a long with room to spare. */
    private static final Pattern TRACK_ID = Pattern.compile("[1-9][0-9]{0,17}");

    private final Teacher teacher;
    private final Path root;
    private final List<String> labels;
    private final SplitRule rule;
    private final int maxWidth;
    private final int maxHeight;
    private final BlockingQueue<Sample> queue;
    private final Map<String, CocoDataset> datasets = new ConcurrentHashMap<>();
    private final Map<String, String> gatewayModels = new ConcurrentHashMap<>();
    private final CocoDataset.LabelPolicy policy;
    private volatile BiConsumer<String, String> onLabelled = (g, c) -> { };
    private final FramePool pool;
    private final Thread worker;
    private volatile boolean running = true;

    final AtomicLong received = new AtomicLong();
    /** Samples whose gateway boxes carry at least one track id. */
    final AtomicLong tracked = new AtomicLong();
    final AtomicLong rejected = new AtomicLong();
    final AtomicLong dropped = new AtomicLong();
    final AtomicLong labelled = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong duplicates = new AtomicLong();

    public SampleIngest(Teacher teacher, Path root, List<String> labels, SplitRule rule, int maxWidth, int maxHeight, int queueSize) {
        this(teacher, root, labels, rule, null, maxWidth, maxHeight, queueSize);
    }

    /**
     * @param policy how labels are derived from the teacher's boxes (temporal check); null stores and exports
     *               the teacher's final labels only
     */
    public SampleIngest(Teacher teacher, Path root, List<String> labels, SplitRule rule, CocoDataset.LabelPolicy policy,
                        int maxWidth, int maxHeight, int queueSize) {
        this.teacher = teacher;
        this.policy = policy;
        this.root = root;
        this.labels = List.copyOf(labels);
        this.rule = rule;
        this.maxWidth = maxWidth;
        this.maxHeight = maxHeight;
        this.queue = new ArrayBlockingQueue<>(Math.max(1, queueSize));
        this.pool = new FramePool(1, maxWidth, maxHeight);
        this.worker = new Thread(this::work, "edgetune-annotator");
        worker.setDaemon(true);
        worker.start();
    }

    /** Validates and queues one message; never blocks the caller (the connection's thread). */
    public boolean offer(KuraMessage message) {
        received.incrementAndGet();
        KuraPayload p = message == null ? null : message.getPayload();
        String why = null;
        Sample s = null;
        if (p == null) {
            why = "no payload";
        } else {
            Object cam = p.getMetric("camera.id");
            Object seq = p.getMetric("frame.sequence");
            Object gw = message.getProperties().getOrDefault(GATEWAY_PROPERTY, "gateway");
            byte[] body = p.getBody();
            if (!(cam instanceof String c) || !SAFE_ID.matcher(c).matches() || c.equals("..")) {
                why = "camera.id missing or unusable: " + cam;
            } else if (!(gw instanceof String g) || !SAFE_ID.matcher(g).matches() || g.equals("..")) {
                why = "gateway id unusable: " + gw;
            } else if (!(seq instanceof Number n)) {
                why = "frame.sequence missing";
            } else if (body == null || body.length < 4 || (body[0] & 0xff) != 0xff || (body[1] & 0xff) != 0xd8) {
                why = "body is not a JPEG";
            } else {
                long ts = p.getTimestamp() != null ? p.getTimestamp().getTime() : System.currentTimeMillis();
                Object model = p.getMetric("model.version");
                EdgeBoxes edge = edgeTracked(p.getMetric("detections"), g, c);
                if (Arrays.stream(edge.trackIds()).anyMatch(t -> t > 0)) {
                    tracked.incrementAndGet();
                }
                s = new Sample(g, c, n.longValue(), ts, body, edge.boxes(), edge.trackIds(),
                        model instanceof String m ? m : null);
            }
        }
        if (s == null) {
            rejected.incrementAndGet();
            LOG.warn("sample message refused: {}", why);
            return false;
        }
        if (!queue.offer(s)) {
            dropped.incrementAndGet();
            return false;
        }
        return true;
    }

    /**
     * The gateway's own boxes for the frame (metric {@code detections}, the
     * detection message's JSON body); a malformed value only costs the overlay.
     */
    static List<Detection> edgeBoxes(Object metric, String gateway, String camera) {
        return edgeTracked(metric, gateway, camera).boxes();
    }

    /**
     * As {@link #edgeBoxes}, with each box's track id ({@code "t"}, written where
     * the gateway's tracker ran). A {@code "t"} that is not a positive integer
     * is ignored with a warning: the box stays, untracked.
     */
    static EdgeBoxes edgeTracked(Object metric, String gateway, String camera) {
        if (!(metric instanceof String json) || json.isBlank()) {
            return EdgeBoxes.NONE;
        }
        try {
            JsonElement root = BoundedJson.parse(json, MAX_DETECTIONS_CHARS);
            JsonElement det = root.isJsonObject() ? root.getAsJsonObject().get("det") : null;
            if (det == null || !det.isJsonArray()) {
                throw new IllegalArgumentException("no \"det\" array");
            }
            List<Detection> out = new ArrayList<>(det.getAsJsonArray().size());
            long[] tracks = new long[det.getAsJsonArray().size()];
            String badTrack = null;
            for (JsonElement o : det.getAsJsonArray()) {
                JsonObject d = o.isJsonObject() ? o.getAsJsonObject() : null;
                JsonElement b = d == null ? null : d.get("b");
                if (d == null || !isNumber(d.get("c")) || !isNumber(d.get("s")) || b == null || !b.isJsonArray()
                        || b.getAsJsonArray().size() != 4) {
                    throw new IllegalArgumentException("malformed box " + o);
                }
                float[] box = new float[4];
                for (int i = 0; i < 4; i++) {
                    JsonElement v = b.getAsJsonArray().get(i);
                    if (!isNumber(v)) {
                        throw new IllegalArgumentException("malformed box " + o);
                    }
                    box[i] = v.getAsFloat();
                }
                JsonElement l = d.get("l");
                String label = l != null && l.isJsonPrimitive() && l.getAsJsonPrimitive().isString() ? l.getAsString() : "";
                JsonElement t = d.get("t");
                if (t != null) {
                    String text = isNumber(t) ? t.getAsString() : null;
                    if (text != null && TRACK_ID.matcher(text).matches()) {
                        tracks[out.size()] = Long.parseLong(text);
                    } else if (badTrack == null) {
                        badTrack = t.toString();
                    }
                }
                out.add(new Detection(d.get("c").getAsInt(), label, d.get("s").getAsFloat(), box[0], box[1], box[2], box[3]));
            }
            if (badTrack != null) {
                LOG.warn("sample {}/{}: unusable gateway track id {} ignored (box kept untracked)", gateway, camera,
                        badTrack.length() > 40 ? badTrack.substring(0, 40) + "..." : badTrack);
            }
            return new EdgeBoxes(out, tracks);
        } catch (IllegalArgumentException e) {
            LOG.warn("sample {}/{}: gateway boxes ignored ({})", gateway, camera, e.getMessage());
            return EdgeBoxes.NONE;
        }
    }

    private static boolean isNumber(JsonElement e) {
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber();
    }

    private void work() {
        while (running) {
            Sample s;
            try {
                s = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (s == null) {
                continue;
            }
            try {
                if (process(s)) {
                    labelled.incrementAndGet();
                    onLabelled.accept(s.gateway(), s.camera());
                } else {
                    duplicates.incrementAndGet();
                }
            } catch (Exception | LinkageError e) {
                failed.incrementAndGet();
                LOG.warn("sample {}/{}/{} not labelled: {}", s.gateway(), s.camera(), s.sequence(), e.toString());
            }
        }
    }

    /** Labels and records one sample; false when it was already recorded (a redelivery: no teacher run). */
    boolean process(Sample s) throws IOException, DetectionException {
        CocoDataset dataset = dataset(s.gateway(), s.camera());
        if (s.modelVersion() != null) {
            gatewayModels.put(s.gateway() + "/" + s.camera(), s.modelVersion());
        }
        if (dataset.contains(s.timestampMillis(), s.sequence())) {
            return false;
        }
        Frame f = decode(s);
        CocoDataset.Sample recorded;
        try {
            Teacher.Labels l = teacher.label(f);
            // with a policy the weak boxes are kept too: the temporal check decides on them at export
            recorded = dataset.add(s.timestampMillis(), s.sequence(), f.width(), f.height(), s.jpeg(),
                    policy == null ? l.finalLabels() : l.all(), s.edge(), s.edgeTracks());
        } finally {
            f.release();
        }
        LOG.debug("sample {}/{}/{} labelled: image {} with {} boxes", s.gateway(), s.camera(), s.sequence(),
                recorded.imageId(), recorded.annotations().size());
        return true;
    }

    private Frame decode(Sample s) throws IOException {
        try (BytePointer bytes = new BytePointer(s.jpeg()); Mat encoded = new Mat(1, s.jpeg().length,
                org.bytedeco.opencv.global.opencv_core.CV_8UC1, bytes);
             Mat bgr = opencv_imgcodecs.imdecode(encoded, opencv_imgcodecs.IMREAD_COLOR)) {
            if (bgr.empty()) {
                throw new IOException("JPEG does not decode");
            }
            if (bgr.cols() > maxWidth || bgr.rows() > maxHeight) {
                throw new IOException("frame " + bgr.cols() + "x" + bgr.rows() + " exceeds the configured maximum " + maxWidth + "x" + maxHeight);
            }
            Frame f = pool.acquire();
            if (f == null) {
                throw new IllegalStateException("frame pool exhausted (a frame was not released)");
            }
            int n = bgr.cols() * bgr.rows() * 3;
            ByteBuffer src = bgr.data().capacity(n).asByteBuffer();
            ByteBuffer dst = f.pixels();
            dst.clear();
            dst.put(src);
            dst.clear();
            return f.fill(s.camera(), s.sequence(), s.timestampMillis(), System.nanoTime(), bgr.cols(), bgr.rows());
        }
    }

    CocoDataset dataset(String gateway, String camera) throws IOException {
        String key = gateway + "/" + camera;
        CocoDataset d = datasets.get(key);
        if (d == null) {
            d = CocoDataset.open(root.resolve(gateway), camera, labels, rule);
            d.labelPolicy(policy);
            datasets.put(key, d);
        }
        return d;
    }

    /**
     * Opens the datasets already on disk (root/{gateway}/{camera}/samples.log),
     * so they can be reviewed and trained on before new samples arrive. A
     * dataset that does not open is logged and skipped.
     */
    public void openExisting() {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> gateways = Files.list(root)) {
            for (Path g : (Iterable<Path>) gateways::iterator) {
                if (!Files.isDirectory(g) || !SAFE_ID.matcher(g.getFileName().toString()).matches()) {
                    continue;
                }
                try (Stream<Path> cameras = Files.list(g)) {
                    for (Path c : (Iterable<Path>) cameras::iterator) {
                        if (Files.exists(c.resolve("samples.log")) && SAFE_ID.matcher(c.getFileName().toString()).matches()) {
                            try {
                                dataset(g.getFileName().toString(), c.getFileName().toString());
                            } catch (IOException | IllegalArgumentException e) {
                                LOG.warn("dataset {} not opened: {}", c, e.getMessage());
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            LOG.warn("datasets under {} not listed: {}", root, e.toString());
        }
    }

    /** Called on the worker after each newly labelled sample with its gateway and camera. */
    public void onLabelled(BiConsumer<String, String> listener) {
        this.onLabelled = listener;
    }

    /** The open datasets by "gateway/camera". */
    public Map<String, CocoDataset> datasets() {
        return Map.copyOf(datasets);
    }

    /** The model version the gateway last reported for the camera (metric model.version of its samples), or null. */
    public String gatewayModel(String gateway, String camera) {
        return gatewayModels.get(gateway + "/" + camera);
    }

    /** Queued samples not yet labelled. */
    public int pending() {
        return queue.size();
    }

    public String counters() {
        return "received " + received.get() + ", refused " + rejected.get() + ", dropped (queue full) " + dropped.get()
                + ", labelled " + labelled.get() + ", duplicates " + duplicates.get() + ", failed " + failed.get() + ", pending " + queue.size()
                + ", with gateway track ids " + tracked.get();
    }

    /** Stops the worker with a bounded wait; queued samples are lost (the gateway can be asked again). */
    @Override
    public void close() {
        running = false;
        worker.interrupt();
        try {
            worker.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (worker.isAlive()) {
            LOG.warn("annotator worker still labelling after 10 s; left to finish on its own");
        }
    }
}

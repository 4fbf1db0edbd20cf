package io.edgetune.evaluation;

import io.edgetune.annotator.teacher.Teacher;
import io.edgetune.annotator.teacher.TeacherSettings;
import io.edgetune.api.detect.Detection;
import io.edgetune.api.detect.DetectionException;
import io.edgetune.api.detect.Detections;
import io.edgetune.api.frame.Frame;
import io.edgetune.api.model.ModelDescriptor;
import io.edgetune.api.motion.MotionResult;
import io.edgetune.api.motion.Region;
import io.edgetune.capture.decode.VideoDecoder;
import io.edgetune.inference.engine.DetectorSettings;
import io.edgetune.inference.engine.EngineException;
import io.edgetune.inference.engine.EngineOptions;
import io.edgetune.inference.engine.LoadedModel;
import io.edgetune.inference.regions.RegionModeDefaults;
import io.edgetune.inference.regions.RegionPacker;
import io.edgetune.inference.regions.StillObjects;
import io.edgetune.load.StaticSceneVideo;
import io.edgetune.load.GatewayLoad;
import io.edgetune.metrics.DetectionEvaluation;
import io.edgetune.motion.engine.MotionEngine;
import io.edgetune.motion.engine.MotionSettings;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs the real EdgeTune stages (capture's decoder, the motion engine, the inference bundle's model and SSD
 * steps, the annotator's teacher) over one video in three ways and measures speed and quality.
 */
final class Evaluation {

    static final String TEACHER_DESCRIPTION = "annotator teacher: base model on the full frame + 300 px native tiles "
            + "(50% overlap), per-pass score 0.3, boxes fused, final score 0.5";

    /** Everything the report needs. */
    static final class Result {
        EvaluationOptions options;
        String machine;
        String startedUtc;
        String loadAverage;
        String loadAverageEnd;
        String videoName;
        int width;
        int height;
        double videoFps;
        int frames;
        int motionWarmup;
        List<String> labels;
        /** teacher labels of the evaluated frames */
        final Map<Integer, List<Detection>> teacher = new TreeMap<>();
        int teacherFromCache;
        double teacherSecondsPerFrame;
        Path teacherCacheFile;
        final List<RunResult> runs = new ArrayList<>();
        /** the same runs on a scene where nothing moves (speed only); empty when not measured */
        final List<RunResult> staticRuns = new ArrayList<>();
        Path staticVideo;
        String loadMarkdown;

        RunResult run(Mode mode, String model) {
            for (RunResult r : runs) {
                if (r.mode == mode && r.model.equals(model)) {
                    return r;
                }
            }
            return null;
        }
    }

    private final EvaluationOptions options;
    private final Progress progress;

    Evaluation(EvaluationOptions options) {
        this.options = options;
        this.progress = new Progress(options.progress(), options.terminal());
    }

    Result run() throws IOException, EngineException, DetectionException {
        requireFile(options.video(), "video");
        requireFile(options.modelFile(), "model");
        requireFile(options.labelMap(), "label map");
        if (options.otherModel() != null) {
            requireFile(options.otherModel(), "second model");
        }
        Result result = new Result();
        result.options = options;
        result.machine = Machine.describe(options.threads());
        result.loadAverage = GatewayLoad.loadAverage();
        result.startedUtc = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        result.videoName = options.video().getFileName().toString();
        result.labels = readLabels(options.labelMap());
        result.motionWarmup = MotionSettings.defaults().warmupFrames();

        try (LoadedModel base = load(options.modelFile(), "base", result.labels)) {
            byte[] firstFrame = teacherPass(base, result);
            List<LoadedModel> models = new ArrayList<>();
            models.add(base);
            LoadedModel other = options.otherModel() != null ? load(options.otherModel(), "other", result.labels) : null;
            try {
                if (other != null) {
                    models.add(other);
                }
                if (options.staticFrames() > 0) {
                    staticScene(base, result);
                }
                for (LoadedModel m : models) {
                    String name = other == null ? "" : modelName(m == base ? options.modelFile() : options.otherModel());
                    warmUp(m, firstFrame, result.width, result.height);
                    for (Mode mode : Mode.values()) {
                        RunResult r = runMode(mode, name, m, result);
                        score(r, result);
                        result.runs.add(r);
                    }
                }
            } finally {
                if (other != null) {
                    other.close();
                }
            }
        }
        result.loadAverageEnd = GatewayLoad.loadAverage();
        return result;
    }

    /**
     * Decodes the frames to evaluate once: counts them and labels every n-th one after the motion warm-up with
     * the teacher (or takes the labels from the cache). Returns the first frame, for the JIT warm-up.
     */
    private byte[] teacherPass(LoadedModel base, Result result) throws IOException, DetectionException {
        TeacherCache cache = new TeacherCache(options.cacheDir(), options.video(), options.modelFile(), options.teacherEvery());
        int cached = cache.load(result.labels);
        result.teacherCacheFile = cache.file();
        DetectorSettings perPass = DetectorSettings.defaults().withMode(Detections.Mode.REGIONS).withScoreThreshold(0.3f);
        Teacher teacher = new Teacher(base.asService(perPass), TeacherSettings.defaults());
        byte[] first = null;
        int labelled = 0;
        long teacherNanos = 0;
        try (VideoDecoder source = new VideoDecoder(options.video().toString())) {
            source.open();
            result.videoFps = source.frameRate();
            int length = estimatedLength(options.video());
            int expected = options.maxFrames() > 0 ? (length > 0 ? Math.min(length, options.maxFrames()) : options.maxFrames()) : length;
            progress.start("teacher labels" + (cached > 0 ? " (" + cached + " cached)" : ""), expected > 0 ? expected : 1000);
            Frame frame = null;
            int n = 0;
            while ((options.maxFrames() == 0 || n < options.maxFrames()) && source.next()) {
                if (frame == null) {
                    result.width = source.width();
                    result.height = source.height();
                    frame = new Frame(ByteBuffer.allocateDirect(source.width() * source.height() * 3).order(ByteOrder.nativeOrder()), null);
                }
                if (source.width() != result.width || source.height() != result.height) {
                    throw new IOException("the video changes size at frame " + n + " (" + result.width + "x" + result.height
                            + " to " + source.width() + "x" + source.height() + "): not supported");
                }
                source.copyTo(frame.pixels());
                if (first == null) {
                    first = new byte[result.width * result.height * 3];
                    frame.pixels().get(0, first);
                }
                if (isLabelled(n, result.motionWarmup)) {
                    List<Detection> labels = cache.get(n);
                    if (labels == null) {
                        frame.fill("evaluation", n, n, System.nanoTime(), result.width, result.height);
                        long t = System.nanoTime();
                        labels = teacher.label(frame).finalLabels();
                        teacherNanos += System.nanoTime() - t;
                        labelled++;
                        cache.put(n, labels);
                        if (labelled % 20 == 0) {
                            cache.save(result.videoName, TEACHER_DESCRIPTION);
                        }
                    }
                    result.teacher.put(n, labels);
                }
                n++;
                progress.update(n);
            }
            result.frames = n;
        }
        if (result.frames == 0) {
            throw new IOException("no frames decoded from " + options.video());
        }
        if (labelled > 0) {
            cache.save(result.videoName, TEACHER_DESCRIPTION);
        }
        result.teacherFromCache = result.teacher.size() - labelled;
        result.teacherSecondsPerFrame = labelled > 0 ? teacherNanos / 1e9 / labelled : Double.NaN;
        progress.finish(String.format(Locale.ROOT, "%d frames, %d labelled (%d from cache %s)", result.frames,
                result.teacher.size(), result.teacherFromCache, cache.file()));
        return first;
    }

    /** The container's frame count (for the progress bar only), 0 when unknown. */
    private static int estimatedLength(Path video) {
        try (org.bytedeco.javacv.FFmpegFrameGrabber g = new org.bytedeco.javacv.FFmpegFrameGrabber(video.toFile())) {
            g.start();
            return Math.max(0, g.getLengthInVideoFrames());
        } catch (Exception | Error e) {
            return 0;
        }
    }

    /** Frames after the motion warm-up, every n-th: warm-up frames say nothing about a running camera. */
    private boolean isLabelled(int n, int warmup) {
        int start = options.maxFrames() > 0 && options.maxFrames() <= warmup ? 0 : warmup;
        return n >= start && (n - start) % options.teacherEvery() == 0;
    }

    /**
     * The three runs on a camera that watches a scene where nothing moves: the video's own background (per-pixel
     * median) with fresh sensor noise in every frame, made by the gateway load probe's StaticSceneVideo and cached
     * per source video. Speed only: the point is what gating saves when nothing happens.
     */
    private void staticScene(LoadedModel base, Result result) throws IOException, EngineException {
        Path sample = EvaluationOptions.defaultAssets().resolve("vtest.avi");
        Path dir;
        if (Files.isRegularFile(sample) && Files.isSameFile(sample, options.video()) && Files.isWritable(sample.getParent())) {
            // the sample video's static scene is the one the gateway load probe makes and keeps beside the assets
            dir = sample.getParent();
        } else {
            dir = options.cacheDir().resolve("static-scene-" + TeacherCache.sha256(options.video()).substring(0, 16));
        }
        boolean had = Files.isRegularFile(dir.resolve(StaticSceneVideo.FILE_NAME));
        if (!had) {
            options.progress().println("making the static scene of " + result.videoName + " (background + sensor noise) in " + dir);
        }
        result.staticVideo = StaticSceneVideo.ensure(options.video(), dir, result.videoFps > 0 ? result.videoFps : 10.0);
        int frames = options.staticFrames();
        warmUp(base, firstFrame(result.staticVideo, result), result.width, result.height);
        for (Mode mode : Mode.values()) {
            result.staticRuns.add(runMode(mode, "", base, result.staticVideo, frames, result.width, result.height, Map.of(), ", static scene"));
        }
        for (RunResult r : result.staticRuns) {
            r.frames = Math.max(1, r.frames);
        }
    }

    private static byte[] firstFrame(Path video, Result result) throws IOException {
        try (VideoDecoder source = new VideoDecoder(video.toString())) {
            source.open();
            if (!source.next()) {
                throw new IOException("no frames in " + video);
            }
            ByteBuffer b = ByteBuffer.allocateDirect(source.width() * source.height() * 3);
            source.copyTo(b);
            byte[] out = new byte[source.width() * source.height() * 3];
            b.get(0, out);
            return out;
        }
    }

    /** Interpreter and JIT warm-up, so the first measured run is not charged for it. */
    private void warmUp(LoadedModel model, byte[] bgr, int width, int height) throws EngineException {
        Frame frame = new Frame(ByteBuffer.allocateDirect(bgr.length).order(ByteOrder.nativeOrder()), null);
        frame.pixels().put(0, bgr);
        frame.fill("warmup", 0, 0, System.nanoTime(), width, height);
        try (StagedDetector d = new StagedDetector(model, detectorSettings());
             MotionEngine motion = new MotionEngine(MotionSettings.defaults())) {
            StagedDetector.Timing t = new StagedDetector.Timing();
            for (int i = 0; i < 10; i++) {
                d.detect(frame, List.of(), t);
                d.detect(frame, List.of(new Region(100, 100, 200, 200)), t);
            }
            // the motion stage's first frames allocate its buffers and load OpenCV code paths
            for (int i = 0; i < MotionSettings.defaults().warmupFrames() + 20; i++) {
                motion.process(frame);
            }
        }
    }

    /** Region mode's packing: the gateway's default unless -Dedgetune.regions.passes.max / .mosaic say otherwise (experiments). */
    static RegionPacker packer() {
        return new RegionPacker(Integer.getInteger("edgetune.regions.passes.max", RegionModeDefaults.PASSES_MAX),
                Boolean.parseBoolean(System.getProperty("edgetune.regions.mosaic", String.valueOf(RegionModeDefaults.MOSAIC))));
    }

    /** Periodic full-frame pass of region mode: the gateway's default unless -Dedgetune.regions.fullframe.every says otherwise. */
    static int fullFrameEvery() {
        return Integer.getInteger("edgetune.regions.fullframe.every", RegionModeDefaults.FULLFRAME_EVERY);
    }

    /** The motion stage's defaults; -Dedgetune.motion.crop.min.size changes the crops' smallest side (experiments). */
    static MotionSettings motionSettings() {
        MotionSettings d = MotionSettings.defaults();
        return d.withMinCropSize(Integer.getInteger("edgetune.motion.crop.min.size", d.minCropSize()));
    }

    private DetectorSettings detectorSettings() {
        return DetectorSettings.defaults().withMode(Detections.Mode.REGIONS).withScoreThreshold(options.collectThreshold());
    }

    private RunResult runMode(Mode mode, String modelName, LoadedModel model, Result result) throws IOException, EngineException {
        return runMode(mode, modelName, model, options.video(), result.frames, result.width, result.height, result.teacher, "");
    }

    /**
     * One run over the first {@code frames} frames of a video; detections are kept for the frames in
     * {@code labelled} only.
     */
    private RunResult runMode(Mode mode, String modelName, LoadedModel model, Path video, int frames, int width, int height,
                              Map<Integer, List<Detection>> labelled, String stageSuffix) throws IOException, EngineException {
        RunResult r = new RunResult(mode, modelName);
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Frame frame = new Frame(ByteBuffer.allocateDirect(width * height * 3).order(ByteOrder.nativeOrder()), null);
        StagedDetector.Timing timing = new StagedDetector.Timing();
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        List<Detection> last = List.of();
        progress.start(r.name() + stageSuffix, frames);
        try (VideoDecoder source = new VideoDecoder(video.toString());
             MotionEngine motion = mode == Mode.NAIVE ? null : new MotionEngine(motionSettings());
             StagedDetector detector = new StagedDetector(model, detectorSettings(), packer())) {
            StillObjects still = new StillObjects(fullFrameEvery());
            source.open();
            long cpu0 = os.getProcessCpuTime();
            long wall0 = System.nanoTime();
            int n = 0;
            while (n < frames) {
                long c0 = threads.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                if (!source.next()) {
                    break;
                }
                source.copyTo(frame.pixels());
                if (source.width() != width || source.height() != height) {
                    throw new IOException(video + " is " + source.width() + "x" + source.height() + ", expected " + width + "x" + height);
                }
                frame.fill("evaluation", n, n, t0, width, height);
                long t1 = System.nanoTime();
                long c1 = threads.getCurrentThreadCpuTime();
                r.decodeNanos += t1 - t0;
                r.decodeCpuNanos += c1 - c0;

                boolean infer = true;
                List<Region> regions = List.of();
                if (motion != null) {
                    MotionResult m = motion.process(frame);
                    r.motionNanos += System.nanoTime() - t1;
                    r.motionCpuNanos += threads.getCurrentThreadCpuTime() - c1;
                    infer = m.needsInference();
                    if (m.state() == MotionResult.State.WARMUP) {
                        r.warmupFrames++;
                    } else if (!infer) {
                        r.staticFrames++;
                    }
                    if (mode == Mode.REGIONS) {
                        regions = m.regions();
                    }
                }
                List<Detection> found = null;
                if (infer) {
                    timing.clear();
                    if (mode == Mode.REGIONS) {
                        // as the detector component runs region mode: periodic full-frame passes, still objects carried
                        found = detector.detect(frame, still.regionsToRun(regions), timing);
                        found = still.update(width, height, regions, detector.lastFullFrame(), detector.lastCrops(), found);
                    } else {
                        found = detector.detect(frame, regions, timing);
                    }
                    r.prepareNanos += timing.prepareNanos;
                    r.inferenceNanos += timing.inferenceNanos;
                    r.postNanos += timing.postNanos;
                    r.prepareCpuNanos += timing.prepareCpuNanos;
                    r.postCpuNanos += timing.postCpuNanos;
                    r.inferredFrames++;
                    r.passes += detector.lastPasses();
                    last = found;
                }
                if (labelled.containsKey(n)) {
                    r.skippedEmpty.put(n, found != null ? found : List.of());
                    r.skippedCarried.put(n, found != null ? found : last);
                    if (found == null) {
                        r.labelledSkipped++;
                    }
                }
                frame.release();
                n++;
                progress.update(n);
            }
            r.wallNanos = System.nanoTime() - wall0;
            r.cpuNanos = os.getProcessCpuTime() - cpu0;
            r.frames = n;
        }
        progress.finish(String.format(Locale.ROOT, "%6.1f fps  %6.1f ms CPU/frame  skipped %5.1f%%",
                r.fps(), r.cpuSecondsPerFrame() * 1000, r.skippedPercent()));
        return r;
    }

    private void score(RunResult r, Result result) {
        DetectionEvaluation empty = new DetectionEvaluation(0.5);
        DetectionEvaluation carried = new DetectionEvaluation(0.5);
        for (Map.Entry<Integer, List<Detection>> e : result.teacher.entrySet()) {
            if (r.skippedEmpty.containsKey(e.getKey())) {
                empty.add(e.getValue(), r.skippedEmpty.get(e.getKey()));
                carried.add(e.getValue(), r.skippedCarried.get(e.getKey()));
            }
        }
        List<String> labels = result.labels;
        r.quality = empty.report(options.operatingThreshold(), id -> id < labels.size() ? labels.get(id) : null);
        r.qualityCarried = carried.report(options.operatingThreshold(), id -> id < labels.size() ? labels.get(id) : null);
        r.bySize = empty.bySize(options.operatingThreshold());
        r.bySizeCarried = carried.bySize(options.operatingThreshold());
    }

    private LoadedModel load(Path file, String version, List<String> labels) throws EngineException {
        ModelDescriptor d = new ModelDescriptor(version, "", labels, 0, 0, "ssd-mobilenet-v2:300", null, Map.of(), 0L, false);
        return LoadedModel.load(d, file, null, "javacpp", EngineOptions.cpu(options.threads()));
    }

    static String modelName(Path p) {
        String n = p.getFileName().toString();
        return n.endsWith(".tflite") ? n.substring(0, n.length() - ".tflite".length()) : n;
    }

    static List<String> readLabels(Path file) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                out.add(line.trim());
            }
        }
        return out;
    }

    private static void requireFile(Path p, String what) throws IOException {
        if (!Files.isRegularFile(p)) {
            throw new IOException(what + " not found: " + p);
        }
    }
}

package io.edgetune.commands.internal;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonWriter;
import io.edgetune.api.detect.Detection;
import io.edgetune.api.detect.DetectionException;
import io.edgetune.api.detect.Detections;
import io.edgetune.api.detect.DetectorService;
import io.edgetune.api.detect.DetectorStatus;
import io.edgetune.api.frame.CameraService;
import io.edgetune.api.frame.CameraStatus;
import io.edgetune.api.frame.Frame;
import io.edgetune.api.model.ModelDescriptor;
import io.edgetune.api.model.ModelException;
import io.edgetune.api.model.ModelRegistry;
import io.edgetune.api.motion.MotionService;
import io.edgetune.api.upload.SamplingService;
import io.edgetune.modelpackage.Manifest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.kura.KuraException;
import org.eclipse.kura.cloudconnection.message.KuraMessage;
import org.eclipse.kura.cloudconnection.request.RequestHandler;
import org.eclipse.kura.cloudconnection.request.RequestHandlerContext;
import org.eclipse.kura.cloudconnection.request.RequestHandlerMessageConstants;
import org.eclipse.kura.message.KuraPayload;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The EDGETUNE-V1 remote commands (see {@link CommandParser} for the
 * resources). Pipeline services are looked up on every request, so a stage
 * that is absent or restarting gives a 404 reply, never a crash.
 *
 * <p>Every request gets a reply that carries its own {@code response.code}
 * (200, 400, 404, 500) and, on failure, {@code response.exception.message}:
 * Kura's dispatcher publishes the returned payload unchanged and adds
 * nothing. Nothing is thrown, not even an Error from a hostile payload, so
 * the dispatcher's thread and the requester both get on with it. A model
 * install from a URL runs in the background ({@link InstallOperations}): the
 * two request threads Kura has are not held by a download.
 */
public final class EdgeTuneRequestHandler implements RequestHandler, AutoCloseable {

    public static final String APP_ID = "EDGETUNE-V1";
    public static final String RESPONSE_CODE = "response.code";
    public static final String RESPONSE_EXCEPTION_MESSAGE = "response.exception.message";
    /** On 404 replies: what kind of thing is missing (see {@link CommandException#missing()}). */
    public static final String NOT_FOUND = "not.found";
    private static final Logger LOG = LoggerFactory.getLogger(EdgeTuneRequestHandler.class);

    /** The services a request may need; each may be absent (null). */
    public interface Services {
        ModelRegistry modelRegistry();

        MotionService motionService();

        DetectorService detectorService();

        Collection<CameraService> cameras();

        SamplingService samplingService();

        SnapshotSource snapshots();

        /** Where uploaded model packages are written before the registry verifies them. */
        Path workDirectory();
    }

    private final Services services;
    private final long snapshotTimeoutMillis;
    private final float jpegQuality;
    private final DeliverySettings delivery;
    private UploadStore uploads;
    private final InstallOperations operations = new InstallOperations();

    public EdgeTuneRequestHandler(Services services, long snapshotTimeoutMillis, float jpegQuality) {
        this(services, snapshotTimeoutMillis, jpegQuality, DeliverySettings.defaults());
    }

    public EdgeTuneRequestHandler(Services services, long snapshotTimeoutMillis, float jpegQuality, DeliverySettings delivery) {
        this.services = services;
        this.snapshotTimeoutMillis = snapshotTimeoutMillis;
        this.jpegQuality = jpegQuality;
        this.delivery = delivery;
    }

    /** The partial uploads, opened on first use (the work directory may not exist before). */
    synchronized UploadStore uploads() throws CommandException {
        if (uploads == null) {
            Path dir = delivery.uploadDir() != null ? delivery.uploadDir() : services.workDirectory().resolve("partial");
            try {
                uploads = new UploadStore(dir, delivery);
            } catch (IOException e) {
                throw new CommandException(CommandException.FAILED, "cannot open the upload directory " + dir + ": " + e.getMessage(), e);
            }
        }
        return uploads;
    }

    @Override
    public KuraMessage doGet(RequestHandlerContext context, KuraMessage request) throws KuraException {
        return handle("GET", request);
    }

    @Override
    public KuraMessage doPut(RequestHandlerContext context, KuraMessage request) throws KuraException {
        return handle("PUT", request);
    }

    @Override
    public KuraMessage doPost(RequestHandlerContext context, KuraMessage request) throws KuraException {
        return handle("POST", request);
    }

    @Override
    public KuraMessage doDel(RequestHandlerContext context, KuraMessage request) throws KuraException {
        return handle("DEL", request);
    }

    @Override
    public KuraMessage doExec(RequestHandlerContext context, KuraMessage request) throws KuraException {
        return handle("EXEC", request);
    }

    /** Answers one request; never throws. */
    KuraMessage handle(String verb, KuraMessage request) {
        List<String> args = null;
        try {
            args = args(request);
            Command command = CommandParser.parse(verb, args, request == null ? null : request.getPayload());
            KuraPayload reply = execute(command);
            reply.addMetric(RESPONSE_CODE, CommandException.OK);
            return new KuraMessage(reply);
        } catch (CommandException e) {
            LOG.info("{} {} refused ({}): {}", verb, args, e.code(), e.getMessage());
            return error(e.code(), e.getMessage(), e.missing());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return error(CommandException.FAILED, "interrupted (gateway stopping)", null);
        } catch (Throwable e) {
            // a bug or a hostile payload, StackOverflowError and OutOfMemoryError included: the requester learns
            // what happened and the dispatcher's thread lives on
            LOG.warn("{} {} failed", verb, args, e);
            return error(CommandException.FAILED, "internal error: " + e, null);
        }
    }

    /** An error reply as Kura builds one: response.code and response.exception.message. */
    static KuraMessage error(int code, String message, String missing) {
        KuraPayload p = payload();
        p.addMetric(RESPONSE_CODE, code);
        p.addMetric(RESPONSE_EXCEPTION_MESSAGE, message == null ? "" : message);
        if (code == CommandException.NOT_FOUND && missing != null) {
            p.addMetric(NOT_FOUND, missing);
        }
        return new KuraMessage(p);
    }

    /** Stops the background installs (the component is going away). */
    @Override
    public void close() {
        operations.close();
    }

    private static List<String> args(KuraMessage request) throws CommandException {
        Object a = request == null ? null : request.getProperties().get(RequestHandlerMessageConstants.ARGS_KEY.value());
        if (a == null) {
            return List.of();
        }
        if (!(a instanceof List<?> list)) {
            throw CommandException.badRequest("request arguments are not a list");
        }
        List<String> out = new ArrayList<>(list.size());
        for (Object o : list) {
            if (!(o instanceof String s)) {
                throw CommandException.badRequest("request arguments must be strings");
            }
            out.add(s);
        }
        return out;
    }

    /** Runs a parsed command and returns the reply payload (without response.code: {@link #handle} adds it). */
    public KuraPayload execute(Command c) throws CommandException, InterruptedException {
        return switch (c.kind()) {
            case STATUS -> status();
            case MODELS -> models();
            case MODEL_INSTALL -> install(c);
            case MODEL_INSTALL_URL -> installFromUrl(c);
            case MODEL_OPERATION_STATUS -> operation(c.transfer().uploadId());
            case MODEL_UPLOAD_CHUNK -> uploadChunk(c.transfer());
            case MODEL_UPLOAD_STATUS -> uploadStatus(c.transfer().uploadId());
            case MODEL_UPLOAD_COMMIT -> uploadCommit(c);
            case MODEL_UPLOAD_ABORT -> uploadAbort(c.transfer().uploadId());
            case MODEL_ACTIVATE -> modelChange(c, "activate");
            case MODEL_ROLLBACK -> modelChange(c, "rollback");
            case CAMERA_SNAPSHOT -> snapshot(c.cameraId());
            case CAMERA_RESET -> reset(c.cameraId());
            case SAMPLE_NOW -> sample(c.cameraId());
        };
    }

    private KuraPayload status() {
        KuraPayload p = payload();
        List<Object> cameras = new ArrayList<>();
        MotionService motion = services.motionService();
        for (CameraService cam : services.cameras()) {
            CameraStatus s = cam.status();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", s.cameraId());
            m.put("state", s.state().name());
            m.put("message", s.message());
            m.put("fps", s.fps());
            m.put("width", s.width());
            m.put("height", s.height());
            m.put("framesGrabbed", s.framesGrabbed());
            m.put("framesDelivered", s.framesDelivered());
            m.put("framesDropped", s.framesDropped());
            m.put("reconnects", s.reconnects());
            m.put("lastFrameMillis", s.lastFrameMillis());
            if (motion != null) {
                m.put("motionSkipRatio", motion.skipRatio(s.cameraId()));
            }
            cameras.add(m);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("time", System.currentTimeMillis());
        doc.put("cameras", cameras);
        p.addMetric("cameras", cameras.size());
        DetectorService detector = services.detectorService();
        if (detector != null) {
            DetectorStatus d = detector.status();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("backend", d.backend());
            m.put("accelerator", d.accelerator());
            m.put("note", d.note());
            m.put("build", d.build());
            m.put("buildReason", d.buildReason());
            m.put("modelVersion", d.modelVersion());
            m.put("queueDepth", d.queueDepth());
            m.put("inferences", d.inferences());
            m.put("dropped", d.dropped());
            m.put("meanInferenceMillis", d.meanInferenceMillis());
            doc.put("detector", m);
            p.addMetric("detector.backend", String.valueOf(d.backend()));
            p.addMetric("detector.accelerator", String.valueOf(d.accelerator()));
            p.addMetric("detector.build", String.valueOf(d.build()));
            p.addMetric("detector.inferences", d.inferences());
            p.addMetric("detector.dropped", d.dropped());
            p.addMetric("detector.mean.inference.ms", d.meanInferenceMillis());
        } else {
            doc.put("detector", null);
        }
        ModelRegistry registry = services.modelRegistry();
        Optional<ModelDescriptor> active = registry == null ? Optional.empty() : registry.active();
        doc.put("model", active.map(EdgeTuneRequestHandler::describe).orElse(null));
        p.addMetric("model.version", active.map(ModelDescriptor::version).orElse(""));
        p.addMetric("sampling.available", services.samplingService() != null);
        json(p, doc);
        return p;
    }

    private KuraPayload models() throws CommandException {
        ModelRegistry registry = require(services.modelRegistry(), "model registry");
        List<Object> list = new ArrayList<>();
        for (ModelDescriptor d : registry.list()) {
            list.add(describe(d));
        }
        String active = registry.active().map(ModelDescriptor::version).orElse("");
        KuraPayload p = payload();
        p.addMetric("count", list.size());
        p.addMetric("active.version", active);
        // one per line (versions hold no control characters), so a requester can check without parsing the body
        p.addMetric("versions", String.join("\n", registry.list().stream().map(ModelDescriptor::version).toList()));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("active", active.isEmpty() ? null : active);
        doc.put("models", list);
        json(p, doc);
        return p;
    }

    private KuraPayload install(Command c) throws CommandException {
        if (c.modelPackage().length > delivery.packageMaxBytes()) {
            throw CommandException.badRequest("package of " + c.modelPackage().length + " bytes is larger than the limit of "
                    + delivery.packageMaxBytes());
        }
        ModelRegistry registry = require(services.modelRegistry(), "model registry");
        Path file = null;
        try {
            file = tempFile();
            Files.write(file, c.modelPackage());
            return installFile(registry, file, c.activate());
        } catch (IOException e) {
            throw new CommandException(CommandException.FAILED, "cannot store the model package: " + e.getMessage(), e);
        } finally {
            deleteQuietly(file);
        }
    }

    /**
     * Accepts a URL install and answers at once (operation.id, state
     * accepted); the download and install run in {@link InstallOperations}.
     */
    private KuraPayload installFromUrl(Command c) throws CommandException {
        require(services.modelRegistry(), "model registry");
        String url = c.transfer().url();
        InstallOperations.Operation op = operations.submit("install " + url, o -> download(o, c));
        KuraPayload p = payload();
        p.addMetric("operation.id", op.id);
        p.addMetric("operation.state", "accepted");
        p.addMetric("operation.resource", "models/operations/" + op.id);
        return p;
    }

    /** The background part of a URL install; the map becomes metrics of models/operations/{id}. */
    private Map<String, Object> download(InstallOperations.Operation op, Command c) throws CommandException, InterruptedException {
        Path file = null;
        try {
            file = tempFile();
            operations.step(op, "downloading");
            long t0 = System.nanoTime();
            long bytes = new ModelDownloader(delivery.downloadTimeoutMillis(), delivery.packageMaxBytes())
                    .download(c.transfer().url(), c.transfer().sha256(), file);
            LOG.info("model package downloaded from {}: {} bytes in {} ms", c.transfer().url(), bytes, (System.nanoTime() - t0) / 1_000_000);
            operations.step(op, "installing");
            ModelRegistry registry = require(services.modelRegistry(), "model registry");
            KuraPayload installed = installFile(registry, file, c.activate());
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("version", installed.getMetric("version"));
            result.put("activated", installed.getMetric("activated"));
            result.put("bytes", bytes);
            return result;
        } catch (IOException e) {
            throw new CommandException(CommandException.FAILED, "cannot store the model package: " + e.getMessage(), e);
        } finally {
            deleteQuietly(file);
        }
    }

    private KuraPayload operation(String id) throws CommandException {
        KuraPayload p = payload();
        operations.get(id).forEach(p::addMetric);
        return p;
    }

    private KuraPayload uploadChunk(Command.Transfer t) throws CommandException {
        UploadStore.State s = uploads().append(t);
        KuraPayload p = payload();
        p.addMetric("received", s.received());
        p.addMetric("total.size", s.totalSize());
        p.addMetric("complete", s.complete());
        return p;
    }

    private KuraPayload uploadStatus(String id) throws CommandException {
        UploadStore.State s = uploads().status(id);
        KuraPayload p = payload();
        p.addMetric("received", s.received());
        p.addMetric("total.size", s.totalSize());
        p.addMetric("sha256", s.sha256());
        p.addMetric("complete", s.complete());
        p.addMetric("chunk.max.bytes", delivery.chunkMaxBytes());
        return p;
    }

    private KuraPayload uploadAbort(String id) throws CommandException {
        boolean removed = uploads().remove(id);
        LOG.info("model upload {} {}", id, removed ? "aborted" : "abort: no such upload");
        KuraPayload p = payload();
        p.addMetric("removed", removed);
        return p;
    }

    /**
     * Installs a complete upload. Whatever the registry says, the upload is
     * gone afterwards: a refused package does not get better by retrying.
     */
    private KuraPayload uploadCommit(Command c) throws CommandException {
        ModelRegistry registry = require(services.modelRegistry(), "model registry");
        UploadStore store = uploads();
        String id = c.transfer().uploadId();
        Path part = store.completed(id);
        try {
            long bytes = Files.size(part);
            KuraPayload p = installFile(registry, part, c.activate());
            p.addMetric("bytes", bytes);
            return p;
        } catch (IOException e) {
            throw new CommandException(CommandException.FAILED, "cannot read upload '" + id + "': " + e.getMessage(), e);
        } finally {
            store.remove(id);
        }
    }

    private KuraPayload installFile(ModelRegistry registry, Path file, boolean activate) throws CommandException {
        try {
            ModelDescriptor installed = registry.install(file);
            if (activate) {
                installed = registry.activate(installed.version());
            }
            KuraPayload p = payload();
            p.addMetric("version", installed.version());
            p.addMetric("activated", activate);
            json(p, describe(installed));
            return p;
        } catch (ModelException e) {
            throw new CommandException(CommandException.BAD_REQUEST, "model package refused: " + e.getMessage(), e);
        }
    }

    private Path tempFile() throws IOException {
        Path dir = services.workDirectory();
        Files.createDirectories(dir);
        return Files.createTempFile(dir, "upload-", ".model");
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.warn("Cannot delete {}: {}", file, e.getMessage());
            }
        }
    }

    private KuraPayload modelChange(Command c, String what) throws CommandException {
        ModelRegistry registry = require(services.modelRegistry(), "model registry");
        try {
            ModelDescriptor d = what.equals("activate") ? registry.activate(c.version()) : registry.rollback();
            KuraPayload p = payload();
            p.addMetric("version", d.version());
            json(p, describe(d));
            return p;
        } catch (ModelException e) {
            throw new CommandException(CommandException.BAD_REQUEST, what + " refused: " + e.getMessage(), e);
        }
    }

    private KuraPayload snapshot(String cameraId) throws CommandException, InterruptedException {
        CameraService camera = camera(cameraId);
        SnapshotSource source = require(services.snapshots(), "snapshot source");
        Snapshot s = source.next(cameraId, snapshotTimeoutMillis);
        if (s == null) {
            CameraStatus st = camera.status();
            throw new CommandException(CommandException.FAILED, "no frame from camera " + cameraId + " within "
                    + snapshotTimeoutMillis + " ms (state " + st.state() + (st.message() == null ? "" : ": " + st.message()) + ")");
        }
        try {
            KuraPayload p = payload();
            p.addMetric("camera.id", cameraId);
            p.addMetric("width", s.width());
            p.addMetric("height", s.height());
            p.addMetric("frame.sequence", s.sequence());
            p.addMetric("frame.timestamp", s.timestampMillis());
            p.addMetric("content.type", "image/jpeg");
            List<Detection> boxes = detect(s, p);
            p.setBody(JpegEncoder.encode(s, jpegQuality, boxes));
            return p;
        } catch (IOException e) {
            throw new CommandException(CommandException.FAILED, "JPEG encoding failed: " + e.getMessage(), e);
        }
    }

    /**
     * Runs the detector on the whole snapshot frame so the boxes drawn belong
     * to exactly this frame; without a detector the snapshot goes out plain,
     * and the reply says why.
     */
    private List<Detection> detect(Snapshot s, KuraPayload p) {
        DetectorService detector = services.detectorService();
        if (detector == null) {
            p.addMetric("boxes", "none: no detector running");
            return List.of();
        }
        ByteBuffer pixels = ByteBuffer.allocateDirect(s.bgr().length);
        pixels.put(s.bgr()).flip();
        Frame frame = new Frame(pixels, null).fill(s.cameraId(), s.sequence(), s.timestampMillis(), System.nanoTime(),
                s.width(), s.height());
        try {
            Detections d = detector.detect(frame, List.of());
            p.addMetric("boxes", "full frame, model " + d.modelVersion());
            p.addMetric("detections", d.detections().size());
            return d.detections();
        } catch (DetectionException | RuntimeException e) {
            p.addMetric("boxes", "none: " + e.getMessage());
            return List.of();
        } finally {
            frame.release();
        }
    }

    private KuraPayload reset(String cameraId) throws CommandException {
        MotionService motion = require(services.motionService(), "motion service");
        if (!motion.reset(cameraId)) {
            throw CommandException.notFound(CommandException.CAMERA, "no camera '" + cameraId + "' in the motion stage");
        }
        KuraPayload p = payload();
        p.addMetric("camera.id", cameraId);
        return p;
    }

    private KuraPayload sample(String cameraId) throws CommandException {
        SamplingService sampling = require(services.samplingService(), "sampling service (uploader)");
        int n;
        try {
            n = sampling.sampleNow(cameraId, "request");
        } catch (IllegalArgumentException e) {
            throw CommandException.notFound(CommandException.CAMERA, e.getMessage() == null ? "unknown camera '" + cameraId + "'" : e.getMessage());
        }
        KuraPayload p = payload();
        p.addMetric("cameras", n);
        return p;
    }

    private CameraService camera(String cameraId) throws CommandException {
        for (CameraService c : services.cameras()) {
            if (cameraId.equals(c.cameraId())) {
                return c;
            }
        }
        throw CommandException.notFound(CommandException.CAMERA, "no camera '" + cameraId + "'");
    }

    private static <T> T require(T service, String what) throws CommandException {
        if (service == null) {
            throw CommandException.notFound(CommandException.SERVICE, what + " is not available on this gateway");
        }
        return service;
    }

    /** A model as replies describe it: exactly its manifest's fields (one mapping, in the model-package module). */
    static JsonObject describe(ModelDescriptor d) {
        return Manifest.toJson(d);
    }

    private static KuraPayload payload() {
        KuraPayload p = new KuraPayload();
        p.setTimestamp(new Date());
        return p;
    }

    /** NaN and infinities have no JSON form: a figure that is not known yet is written as null. */
    private static final TypeAdapter<Number> FINITE_OR_NULL = new TypeAdapter<>() {
        @Override
        public void write(JsonWriter out, Number n) throws IOException {
            if (n == null || !Double.isFinite(n.doubleValue())) {
                out.nullValue();
            } else {
                out.value(n);
            }
        }

        @Override
        public Number read(JsonReader in) {
            throw new UnsupportedOperationException("reply bodies are written, not read");
        }
    };

    /** Reply bodies: maps, lists and values as they are, null values kept, no HTML escapes (not a web page). */
    private static final Gson REPLY = new GsonBuilder().serializeNulls().disableHtmlEscaping()
            .registerTypeAdapter(Double.class, FINITE_OR_NULL).registerTypeAdapter(Float.class, FINITE_OR_NULL).create();

    private static void json(KuraPayload p, Object doc) {
        p.setBody(REPLY.toJson(doc).getBytes(StandardCharsets.UTF_8));
        p.addMetric("content.type", "application/json");
    }
}

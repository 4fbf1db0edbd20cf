package io.edgetune.inference.internal;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.edgetune.api.model.ModelDescriptor;
import io.edgetune.api.model.ModelException;
import io.edgetune.api.model.ModelRegistry;
import io.edgetune.modelpackage.LabelFile;
import io.edgetune.modelpackage.Manifest;
import io.edgetune.modelpackage.ModelPackages;
import io.edgetune.modelpackage.PackageGate;
import io.edgetune.modelpackage.PackageLayout;
import io.edgetune.modelpackage.PackageVerifier;
import io.edgetune.tflite.QuantizationCheck;
import io.edgetune.tflite.TfliteException;
import io.edgetune.tflite.TfliteModel;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Model versions on disk:
 * <pre>
 * &lt;root&gt;/versions/&lt;version&gt;/model.tflite, manifest.json [, model_int8.tflite, model_edgetpu.tflite, labels.txt, manifest.sig]
 * &lt;root&gt;/state.json      {"active": "...", "history": [older ... newest previous]}
 * &lt;root&gt;/incoming/       packages being unpacked and checked
 * </pre>
 * Every version stays on disk; the history lists the versions that were
 * active before, for rollback. Thread safe (all operations serialised).
 */
public final class FileModelRegistry implements ModelRegistry {

    public static final String BASE_VERSION = "base-oidv4";
    /** File names of the base model and its labels, in the assets cache and in the base model bundle. */
    public static final String BASE_MODEL_FILE = "ssd_mobilenetv2_oidv4_fp16.tflite";
    public static final String BASE_LABELS_FILE = "oidv4_labelmap.txt";
    private static final Logger LOG = LoggerFactory.getLogger(FileModelRegistry.class);

    /** state.json, indented for people who look at it; no active version is written as null. */
    private static final Gson STATE_JSON = new GsonBuilder().serializeNulls().setPrettyPrinting().create();

    private final Path root;
    private final Path versions;
    private final Path incoming;
    private final PackageVerifier verifier;
    private final ModelHost host;
    private String active;
    private final Deque<String> history = new ArrayDeque<>();

    public FileModelRegistry(Path root, PackageVerifier verifier, ModelHost host) throws IOException {
        this.root = root;
        this.versions = root.resolve("versions");
        this.incoming = root.resolve("incoming");
        this.verifier = verifier;
        this.host = host;
        Files.createDirectories(versions);
        Files.createDirectories(incoming);
        readState();
    }

    public Path root() {
        return root;
    }

    public Path versionDir(String version) {
        return versions.resolve(version);
    }

    /**
     * With no version on disk yet, makes the default model of the assets
     * directory version {@value #BASE_VERSION} and marks it active.
     */
    public synchronized boolean seedIfEmpty(Path assets) throws IOException {
        if (hasVersions()) {
            return false;
        }
        Path model = assets == null ? null : assets.resolve(BASE_MODEL_FILE);
        Path labels = assets == null ? null : assets.resolve(BASE_LABELS_FILE);
        if (model == null || !Files.isRegularFile(model) || !Files.isRegularFile(labels)) {
            LOG.warn("model registry {} is empty and the assets directory {} has no default model; run the asset fetcher", root, assets);
            return false;
        }
        return seedIfEmpty(model.toUri().toURL(), labels.toUri().toURL(), assets.toString());
    }

    /**
     * Seeds an empty registry with the base model read from URLs (files, or the
     * entries of the base model bundle {@code io.edgetune.model.base}); returns
     * whether it did. {@code origin} names the source in the log.
     */
    public synchronized boolean seedIfEmpty(URL model, URL labels, String origin) throws IOException {
        if (hasVersions()) {
            return false;
        }
        Path stage = incoming.resolve("seed-" + UUID.randomUUID());
        Files.createDirectories(stage);
        try (InputStream in = model.openStream()) {
            Files.copy(in, stage.resolve(PackageLayout.MODEL));
        }
        List<String> names;
        try (InputStream in = labels.openStream()) {
            names = LabelFile.parse(List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\\R")));
        }
        ModelDescriptor d = new ModelDescriptor(BASE_VERSION, PackageLayout.sha256(stage.resolve(PackageLayout.MODEL)), names, 300, 300,
                PackageLayout.DEFAULT_ANCHORS, null, Map.of(), System.currentTimeMillis(), false);
        Manifest.write(d, stage);
        Files.move(stage, versions.resolve(BASE_VERSION), StandardCopyOption.ATOMIC_MOVE);
        active = BASE_VERSION;
        history.clear();
        writeState();
        LOG.info("model registry {} seeded with {} from {}", root, BASE_VERSION, origin);
        return true;
    }

    private boolean hasVersions() throws IOException {
        try (Stream<Path> s = Files.list(versions)) {
            return s.anyMatch(Files::isDirectory);
        }
    }

    @Override
    public synchronized List<ModelDescriptor> list() {
        List<ModelDescriptor> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(versions, Files::isDirectory)) {
            for (Path p : ds) {
                try {
                    out.add(Manifest.read(p));
                } catch (ModelException e) {
                    LOG.warn("skipping unreadable model version {}: {}", p.getFileName(), e.getMessage());
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot list model registry {}: {}", versions, e.getMessage());
        }
        out.sort(Comparator.comparingLong(ModelDescriptor::createdMillis).thenComparing(ModelDescriptor::version));
        return out;
    }

    @Override
    public synchronized Optional<ModelDescriptor> active() {
        if (active == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Manifest.read(versions.resolve(active)));
        } catch (ModelException e) {
            return Optional.empty();
        }
    }

    public synchronized Optional<String> activeVersion() {
        return Optional.ofNullable(active);
    }

    public synchronized List<String> history() {
        return List.copyOf(history);
    }

    @Override
    public synchronized ModelDescriptor install(Path modelPackage) throws ModelException {
        // size, declared sizes and signature first: nothing is inflated or parsed for a package that fails them
        PackageGate.check(modelPackage, PackageLayout.MAX_PACKAGE_BYTES, verifier);
        Path stage = incoming.resolve("pkg-" + UUID.randomUUID());
        try {
            ModelPackages.unpack(modelPackage, stage, PackageLayout.MAX_PACKAGE_BYTES);
            ModelDescriptor d = Manifest.read(stage);
            // again on what was unpacked: ZipInputStream reads the local headers, the gate read the central
            // directory, and a crafted zip can make the two disagree
            verifier.verify(stage, d.version());
            d = checkFiles(stage, d, true);
            if (Files.exists(versions.resolve(d.version()))) {
                throw new ModelException("model version " + d.version() + " is already installed");
            }
            host.validate(d, stage);
            Files.move(stage, versions.resolve(d.version()), StandardCopyOption.ATOMIC_MOVE);
            LOG.info("model {} installed (sha256 {})", d.version(), d.sha256());
            return d;
        } catch (IOException e) {
            throw new ModelException("cannot install model package " + modelPackage + ": " + e, e);
        } finally {
            deleteTree(stage);
        }
    }

    @Override
    public synchronized ModelDescriptor activate(String version) throws ModelException {
        ModelDescriptor d = load(version);
        String before = active;
        if (version.equals(before)) {
            host.activate(d, versions.resolve(version));
            return d;
        }
        host.activate(d, versions.resolve(version));
        if (before != null) {
            history.remove(version);
            history.addLast(before);
        }
        active = version;
        saveState();
        LOG.info("model {} active (previous {})", version, before);
        return d;
    }

    @Override
    public synchronized ModelDescriptor rollback() throws ModelException {
        if (history.isEmpty()) {
            throw new ModelException("no previous model version to roll back to");
        }
        String previous = history.peekLast();
        ModelDescriptor d = load(previous);
        host.activate(d, versions.resolve(previous));
        history.removeLast();
        String from = active;
        active = previous;
        saveState();
        LOG.info("model rolled back from {} to {}", from, previous);
        return d;
    }

    /**
     * Loads the active version at start-up; if it fails (corrupt file, bad
     * manifest), walks back through the history and reports what it skipped.
     */
    public synchronized Optional<ModelDescriptor> activateAtStartup() {
        while (active != null) {
            try {
                ModelDescriptor d = load(active);
                host.activate(d, versions.resolve(active));
                return Optional.of(d);
            } catch (ModelException e) {
                if (backendUnavailable(e)) {
                    // the model is fine, the runtime lacks the backend: keep it active for a later start
                    LOG.error("model {} stays active but is not loaded: {}", active, e.getMessage());
                    return Optional.empty();
                }
                String failed = active;
                active = history.pollLast();
                LOG.error("model {} cannot be loaded ({}); falling back to {}", failed, e.getMessage(), active);
                try {
                    saveState();
                } catch (ModelException ignored) {
                    // state stays in memory; logged by saveState
                }
            }
        }
        return Optional.empty();
    }

    private static boolean backendUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BackendUnavailableException) {
                return true;
            }
        }
        return false;
    }

    /** Reads and re-checks a stored version (its files may have been damaged on disk since). */
    private ModelDescriptor load(String version) throws ModelException {
        Path dir = versions.resolve(version).normalize();
        if (!dir.startsWith(versions) || !Files.isDirectory(dir)) {
            throw new ModelException("unknown model version '" + version + "'");
        }
        ModelDescriptor d = Manifest.read(dir);
        return checkFiles(dir, d, false);
    }

    private ModelDescriptor checkFiles(Path dir, ModelDescriptor d, boolean fillInSha) throws ModelException {
        Path model = dir.resolve(PackageLayout.MODEL);
        if (!Files.isRegularFile(model)) {
            throw new ModelException("model " + d.version() + " has no " + PackageLayout.MODEL);
        }
        try {
            String sha = PackageLayout.sha256(model);
            if (d.sha256() == null || d.sha256().isBlank()) {
                if (!fillInSha || verifier.hasTrustedKey()) {
                    throw new ModelException("manifest of " + d.version() + " has no sha256");
                }
                d = new ModelDescriptor(d.version(), sha, d.labels(), d.inputWidth(), d.inputHeight(), d.anchors(),
                        d.baseVersion(), d.metrics(), d.createdMillis(), d.edgeTpu());
                Manifest.write(d, dir);
            } else if (!sha.equalsIgnoreCase(d.sha256())) {
                throw new ModelException("model " + d.version() + ": SHA-256 of " + PackageLayout.MODEL + " is " + sha
                        + " but the manifest says " + d.sha256() + " (corrupt or truncated file)");
            }
            JsonObject manifest = Manifest.readObject(dir);
            checkBuild(dir, d, manifest, PackageLayout.INT8_MODEL, PackageLayout.INT8_SHA256);
            checkBuild(dir, d, manifest, PackageLayout.EDGETPU_MODEL, PackageLayout.EDGETPU_SHA256);
            if (fillInSha) {
                // once, at install: a kernel given a broken scale or zero point computes garbage instead of failing
                checkQuantization(d, model);
                checkQuantization(d, dir.resolve(PackageLayout.INT8_MODEL));
            }
            return d;
        } catch (IOException e) {
            throw new ModelException("model " + d.version() + ": cannot read files: " + e.getMessage(), e);
        }
    }

    /** An optional build must be named by hash in the manifest (when packages are signed) and match it. */
    private void checkBuild(Path dir, ModelDescriptor d, JsonObject manifest, String file, String hashField)
            throws ModelException, IOException {
        Path build = dir.resolve(file);
        if (!Files.isRegularFile(build)) {
            return;
        }
        String expected = Manifest.text(manifest, hashField, null);
        if (expected == null && verifier.hasTrustedKey()) {
            throw new ModelException("manifest of " + d.version() + " has no " + hashField + " for " + file);
        }
        if (expected != null && !PackageLayout.sha256(build).equalsIgnoreCase(expected)) {
            throw new ModelException("model " + d.version() + ": SHA-256 of " + file + " does not match the manifest");
        }
    }

    /** Parses the flatbuffer and refuses it when truncated or mis-quantized, naming the file and the problem. */
    private static void checkQuantization(ModelDescriptor d, Path file) throws ModelException, IOException {
        if (!Files.isRegularFile(file)) {
            return;
        }
        TfliteModel parsed;
        try {
            parsed = TfliteModel.read(Files.readAllBytes(file));
        } catch (TfliteException | RuntimeException e) {
            throw new ModelException("model " + d.version() + " rejected: " + file.getFileName()
                    + " is not a valid TFLite flatbuffer (" + e.getMessage() + ")", e);
        }
        try {
            QuantizationCheck.require(parsed);
        } catch (TfliteException e) {
            throw new ModelException("model " + d.version() + " rejected: " + file.getFileName() + ": " + e.getMessage(), e);
        }
    }

    private void readState() throws IOException {
        Path state = root.resolve("state.json");
        if (!Files.isRegularFile(state)) {
            return;
        }
        try {
            JsonObject m = JsonParser.parseString(Files.readString(state, StandardCharsets.UTF_8)).getAsJsonObject();
            active = Manifest.text(m, "active", null);
            if (m.get("history") instanceof JsonArray l) {
                for (JsonElement o : l) {
                    history.addLast(o.getAsString());
                }
            }
        } catch (JsonParseException | IllegalStateException | UnsupportedOperationException e) {
            LOG.error("model registry state {} unreadable ({}); starting with no active model", state, e.getMessage());
        }
    }

    private void saveState() throws ModelException {
        try {
            writeState();
        } catch (IOException e) {
            LOG.error("cannot write model registry state: {}", e.getMessage());
            throw new ModelException("cannot write model registry state: " + e.getMessage(), e);
        }
    }

    private void writeState() throws IOException {
        JsonObject m = new JsonObject();
        m.addProperty("active", active);
        JsonArray h = new JsonArray();
        history.forEach(h::add);
        m.add("history", h);
        Path tmp = root.resolve("state.json.tmp");
        Files.writeString(tmp, STATE_JSON.toJson(m) + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, root.resolve("state.json"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void deleteTree(Path p) {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException ignored) {
                    // best effort: a leftover staging directory is harmless
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}

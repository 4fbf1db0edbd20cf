package io.edgetune.inference.internal;

import io.edgetune.api.model.ModelDescriptor;
import io.edgetune.api.model.ModelException;
import io.edgetune.api.model.ModelRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Model versions on disk:
 * <pre>
 * &lt;root&gt;/versions/&lt;version&gt;/model.tflite, manifest.json [, model_edgetpu.tflite, labels.txt, manifest.sig]
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
    private static final long MAX_PACKAGE_BYTES = 512L << 20;

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
            Files.copy(in, stage.resolve(Manifests.MODEL));
        }
        List<String> names = new ArrayList<>();
        try (InputStream in = labels.openStream()) {
            for (String l : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\\R")) {
                if (!l.isBlank()) {
                    names.add(l.trim());
                }
            }
        }
        ModelDescriptor d = new ModelDescriptor(BASE_VERSION, Manifests.sha256(stage.resolve(Manifests.MODEL)), names, 300, 300,
                Manifests.DEFAULT_ANCHORS, null, Map.of(), System.currentTimeMillis(), false);
        Manifests.write(d, stage);
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
                    out.add(Manifests.read(p));
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
            return Optional.of(Manifests.read(versions.resolve(active)));
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
        PackageGate.check(modelPackage, MAX_PACKAGE_BYTES, verifier);
        Path stage = incoming.resolve("pkg-" + UUID.randomUUID());
        try {
            unpack(modelPackage, stage);
            ModelDescriptor d = Manifests.read(stage);
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
        ModelDescriptor d = Manifests.read(dir);
        return checkFiles(dir, d, false);
    }

    private ModelDescriptor checkFiles(Path dir, ModelDescriptor d, boolean fillInSha) throws ModelException {
        Path model = dir.resolve(Manifests.MODEL);
        if (!Files.isRegularFile(model)) {
            throw new ModelException("model " + d.version() + " has no " + Manifests.MODEL);
        }
        try {
            String sha = Manifests.sha256(model);
            if (d.sha256() == null || d.sha256().isBlank()) {
                if (!fillInSha || verifier.hasTrustedKey()) {
                    throw new ModelException("manifest of " + d.version() + " has no sha256");
                }
                d = new ModelDescriptor(d.version(), sha, d.labels(), d.inputWidth(), d.inputHeight(), d.anchors(),
                        d.baseVersion(), d.metrics(), d.createdMillis(), d.edgeTpu());
                Manifests.write(d, dir);
            } else if (!sha.equalsIgnoreCase(d.sha256())) {
                throw new ModelException("model " + d.version() + ": SHA-256 of " + Manifests.MODEL + " is " + sha
                        + " but the manifest says " + d.sha256() + " (corrupt or truncated file)");
            }
            Path tpu = dir.resolve(Manifests.EDGETPU_MODEL);
            if (Files.isRegularFile(tpu)) {
                Object expected = Json.parseObject(Files.readString(dir.resolve(Manifests.MANIFEST))).get("edgeTpuSha256");
                if (expected == null && verifier.hasTrustedKey()) {
                    throw new ModelException("manifest of " + d.version() + " has no edgeTpuSha256 for " + Manifests.EDGETPU_MODEL);
                }
                if (expected != null && !Manifests.sha256(tpu).equalsIgnoreCase(expected.toString())) {
                    throw new ModelException("model " + d.version() + ": SHA-256 of " + Manifests.EDGETPU_MODEL + " does not match the manifest");
                }
            }
            return d;
        } catch (IOException e) {
            throw new ModelException("model " + d.version() + ": cannot read files: " + e.getMessage(), e);
        }
    }

    private void unpack(Path pkg, Path stage) throws IOException, ModelException {
        Files.createDirectories(stage);
        if (Files.isDirectory(pkg)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(pkg, Files::isRegularFile)) {
                for (Path p : ds) {
                    Files.copy(p, stage.resolve(p.getFileName().toString()));
                }
            }
            return;
        }
        if (!Files.isRegularFile(pkg)) {
            throw new ModelException("model package " + pkg + " does not exist");
        }
        long total = 0;
        try (ZipInputStream zin = new ZipInputStream(Files.newInputStream(pkg))) {
            ZipEntry e;
            boolean any = false;
            while ((e = zin.getNextEntry()) != null) {
                if (e.isDirectory()) {
                    continue;
                }
                // flat packages only: keep the file name, never a path (no zip slip)
                String name = e.getName().substring(e.getName().lastIndexOf('/') + 1);
                if (name.isEmpty() || name.startsWith(".")) {
                    continue;
                }
                total += Files.copy(new LimitedStream(zin, MAX_PACKAGE_BYTES - total), stage.resolve(name));
                any = true;
            }
            if (!any) {
                throw new ModelException("model package " + pkg.getFileName() + " is not a zip with model files");
            }
        } catch (FileAlreadyExistsException e) {
            throw new ModelException("model package " + pkg.getFileName() + " holds two files named " + e.getFile());
        } catch (java.util.zip.ZipException e) {
            throw new ModelException("model package " + pkg.getFileName() + " is not a valid zip: " + e.getMessage(), e);
        }
    }

    private static final class LimitedStream extends InputStream {
        private final InputStream in;
        private long left;

        LimitedStream(InputStream in, long left) {
            this.in = in;
            this.left = left;
        }

        @Override
        public int read() throws IOException {
            byte[] b = new byte[1];
            return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                left -= n;
                if (left < 0) {
                    throw new IOException("model package larger than " + (MAX_PACKAGE_BYTES >> 20) + " MiB");
                }
            }
            return n;
        }
    }

    private void readState() throws IOException {
        Path state = root.resolve("state.json");
        if (!Files.isRegularFile(state)) {
            return;
        }
        try {
            Map<String, Object> m = Json.parseObject(Files.readString(state, StandardCharsets.UTF_8));
            active = m.get("active") instanceof String s ? s : null;
            if (m.get("history") instanceof List<?> l) {
                for (Object o : l) {
                    history.addLast(String.valueOf(o));
                }
            }
        } catch (IllegalArgumentException e) {
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
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("active", active);
        m.put("history", new ArrayList<>(history));
        Path tmp = root.resolve("state.json.tmp");
        Files.writeString(tmp, Json.write(m), StandardCharsets.UTF_8);
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

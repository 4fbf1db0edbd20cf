package io.edgetune.commands.internal;

import io.edgetune.modelpackage.PackageLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Partial model packages on disk, one pair of files per upload:
 * {@code <id>.meta} (declared size and SHA-256) and {@code <id>.part} (the
 * bytes received so far, always a contiguous prefix). What the gateway holds
 * is the length of the part file, so an upload survives broker outages and
 * restarts of the bundle or the gateway; a torn last write only shortens the
 * prefix, and the whole-package hash at commit catches anything else.
 * Thread safe (all operations serialised).
 */
public final class UploadStore {

    private static final Logger LOG = LoggerFactory.getLogger(UploadStore.class);
    private static final String META = ".meta";
    private static final String PART = ".part";

    /** Where an upload stands. */
    public record State(String id, long received, long totalSize, String sha256) {
        public boolean complete() {
            return received == totalSize;
        }
    }

    private final Path dir;
    private final DeliverySettings limits;

    public UploadStore(Path dir, DeliverySettings limits) throws IOException {
        this.dir = dir;
        this.limits = limits;
        Files.createDirectories(dir);
        expire();
    }

    public Path directory() {
        return dir;
    }

    /** Stores a chunk; it must start exactly where the held bytes end and match its hash. */
    public synchronized State append(Command.Transfer t) throws CommandException {
        expire();
        byte[] chunk = t.chunk();
        if (chunk.length > limits.chunkMaxBytes()) {
            throw CommandException.badRequest("chunk of " + chunk.length + " bytes is larger than the limit of " + limits.chunkMaxBytes());
        }
        String actual = PackageLayout.sha256Hex(chunk);
        if (!actual.equals(t.chunkSha256())) {
            throw CommandException.badRequest("chunk at offset " + t.offset() + " has SHA-256 " + actual + " but chunk.sha256 says "
                    + t.chunkSha256() + "; not stored");
        }
        State s = read(t.uploadId());
        if (s == null) {
            if (t.offset() != 0) {
                throw CommandException.badRequest("no upload '" + t.uploadId() + "' here (expired or removed); start again at offset 0");
            }
            s = create(t);
        } else if (s.totalSize() != t.totalSize() || !s.sha256().equals(t.sha256())) {
            throw CommandException.badRequest("upload '" + t.uploadId() + "' is for another package (total.size " + s.totalSize()
                    + ", sha256 " + s.sha256() + "); DEL it first or use another id");
        }
        if (t.offset() != s.received()) {
            throw CommandException.badRequest("upload '" + t.uploadId() + "' holds " + s.received() + " bytes; the chunk at offset "
                    + t.offset() + " does not follow them; not stored");
        }
        Path part = dir.resolve(t.uploadId() + PART);
        try (FileChannel ch = FileChannel.open(part, StandardOpenOption.WRITE)) {
            ch.position(s.received());
            ByteBuffer b = ByteBuffer.wrap(chunk);
            while (b.hasRemaining()) {
                ch.write(b);
            }
        } catch (IOException e) {
            throw new CommandException(CommandException.FAILED, "cannot store the chunk: " + e.getMessage(), e);
        }
        return new State(s.id(), s.received() + chunk.length, s.totalSize(), s.sha256());
    }

    private State create(Command.Transfer t) throws CommandException {
        if (t.totalSize() > limits.packageMaxBytes()) {
            throw CommandException.badRequest("package of " + t.totalSize() + " bytes is larger than the limit of " + limits.packageMaxBytes());
        }
        int count = 0;
        long reserved = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + META)) {
            for (Path m : ds) {
                State other = read(idOf(m));
                if (other != null) {
                    count++;
                    reserved += other.totalSize();
                }
            }
        } catch (IOException e) {
            throw new CommandException(CommandException.FAILED, "cannot list uploads: " + e.getMessage(), e);
        }
        if (count >= limits.maxUploads()) {
            throw CommandException.badRequest("too many uploads in progress (" + count + "); commit or DEL one first");
        }
        if (reserved + t.totalSize() > limits.maxTotalBytes()) {
            throw CommandException.badRequest("uploads in progress already reserve " + reserved + " bytes; " + t.totalSize()
                    + " more would pass the limit of " + limits.maxTotalBytes());
        }
        Properties p = new Properties();
        p.setProperty("total.size", Long.toString(t.totalSize()));
        p.setProperty("sha256", t.sha256());
        try {
            Files.write(dir.resolve(t.uploadId() + PART), new byte[0]);
            Path tmp = dir.resolve(t.uploadId() + META + ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                p.store(out, "model package upload");
            }
            Files.move(tmp, dir.resolve(t.uploadId() + META), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            delete(t.uploadId());
            throw new CommandException(CommandException.FAILED, "cannot start upload: " + e.getMessage(), e);
        }
        LOG.info("model upload {} started: {} bytes, sha256 {}", t.uploadId(), t.totalSize(), t.sha256());
        return new State(t.uploadId(), 0, t.totalSize(), t.sha256());
    }

    /** The upload's state, or 404. */
    public synchronized State status(String id) throws CommandException {
        expire();
        State s = read(id);
        if (s == null) {
            throw CommandException.notFound(CommandException.UPLOAD, "no upload '" + id + "'");
        }
        return s;
    }

    /**
     * The complete package file, its whole SHA-256 checked. An incomplete
     * upload is a 400 and stays; a package whose hash is wrong is deleted
     * (resending the same bytes cannot fix it).
     */
    public synchronized Path completed(String id) throws CommandException {
        State s = status(id);
        if (!s.complete()) {
            throw CommandException.badRequest("upload '" + id + "' holds " + s.received() + " of " + s.totalSize() + " bytes; send the rest first");
        }
        Path part = dir.resolve(id + PART);
        String actual;
        try {
            actual = PackageLayout.sha256(part);
        } catch (IOException e) {
            throw new CommandException(CommandException.FAILED, "cannot read upload '" + id + "': " + e.getMessage(), e);
        }
        if (!actual.equals(s.sha256())) {
            delete(id);
            throw CommandException.badRequest("upload '" + id + "' has SHA-256 " + actual + " but sha256 says " + s.sha256()
                    + "; upload discarded");
        }
        return part;
    }

    /** Deletes the upload; false when there was none. */
    public synchronized boolean remove(String id) {
        boolean existed = Files.exists(dir.resolve(id + META)) || Files.exists(dir.resolve(id + PART));
        delete(id);
        return existed;
    }

    /** Deletes uploads untouched for longer than the expiry time, and stray files; returns how many uploads went. */
    public synchronized int expire() {
        long cutoff = System.currentTimeMillis() - limits.expiryMillis();
        int removed = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path f : ds) {
                String name = f.getFileName().toString();
                if (!name.endsWith(META)) {
                    String id = name.endsWith(PART) ? name.substring(0, name.length() - PART.length()) : null;
                    if (id == null || !Files.exists(dir.resolve(id + META))) {
                        Files.deleteIfExists(f); // leftovers of an interrupted create or a crash
                    }
                    continue;
                }
                String id = idOf(f);
                Path part = dir.resolve(id + PART);
                long touched = Math.max(Files.getLastModifiedTime(f).toMillis(),
                        Files.exists(part) ? Files.getLastModifiedTime(part).toMillis() : 0);
                if (touched < cutoff) {
                    delete(id);
                    removed++;
                    LOG.info("model upload {} expired (untouched since {})", id, new java.util.Date(touched));
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot expire uploads in {}: {}", dir, e.getMessage());
        }
        return removed;
    }

    private State read(String id) throws CommandException {
        Path meta = dir.resolve(id + META);
        Path part = dir.resolve(id + PART);
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(meta)) {
            p.load(in);
            long total = Long.parseLong(p.getProperty("total.size"));
            String sha = p.getProperty("sha256");
            if (sha == null) {
                throw new IllegalArgumentException("no sha256");
            }
            long received = Files.size(part);
            if (received > total) {
                throw new IllegalArgumentException("holds more than its total size");
            }
            return new State(id, received, total, sha);
        } catch (NoSuchFileException e) {
            if (Files.exists(meta)) {
                delete(id); // meta without part: unusable
            }
            return null;
        } catch (IOException | RuntimeException e) {
            LOG.warn("model upload {} is unreadable ({}); deleting it", id, e.getMessage());
            delete(id);
            return null;
        }
    }

    private void delete(String id) {
        for (String ext : new String[] {PART, META, META + ".tmp"}) {
            try {
                Files.deleteIfExists(dir.resolve(id + ext));
            } catch (IOException e) {
                LOG.warn("cannot delete {}{}: {}", id, ext, e.getMessage());
            }
        }
    }

    private static String idOf(Path meta) {
        String name = meta.getFileName().toString();
        return name.substring(0, name.length() - META.length());
    }
}

package io.edgetune.cloud.mqtt.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Disk-backed FIFO of messages waiting for the broker: one file per message,
 * named by a sequence number that grows across restarts, written to a
 * temporary name and renamed so a crash never leaves half a message behind.
 *
 * <p>Bounded by total payload bytes and message count. When a new message
 * does not fit, the oldest messages are dropped (and counted): recent data is
 * worth more than old data to a monitoring application. A single message
 * larger than the whole budget is refused.
 *
 * <p>Delivery order: entries are handed out in sequence order; an entry is
 * removed only after the broker acknowledged it, so a crash or outage leads
 * to a resend (at-least-once), never a loss.
 */
public final class Outbox implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
    private static final int MAGIC = 0x45544F42; // "ETOB"
    private static final int VERSION = 1;
    private static final String SUFFIX = ".msg";
    private static final String TMP_SUFFIX = ".tmp";

    /** One stored message. */
    public record Entry(long seq, String topic, int qos, boolean retain, String origin, byte[] payload) {
    }

    /** Counters since this outbox was opened, plus the current backlog. */
    public record Stats(long pending, long pendingBytes, long enqueued, long delivered, long dropped, long refused,
                        long corrupt, long oldestAgeMillis) {
        public Stats(long pending, long pendingBytes, long enqueued, long delivered, long dropped, long refused, long corrupt) {
            this(pending, pendingBytes, enqueued, delivered, dropped, refused, corrupt, 0);
        }
    }

    private final Path dir;
    private final long maxBytes;
    private final int maxMessages;
    private final boolean fsync;

    // seq -> payload size of the file; guarded by this
    private final TreeMap<Long, Integer> index = new TreeMap<>();
    private long indexBytes;
    private long nextSeq;
    private boolean closed;

    private final AtomicLong enqueued = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong corrupt = new AtomicLong();

    public Outbox(Path dir, long maxBytes, int maxMessages, boolean fsync) throws IOException {
        if (maxBytes <= 0 || maxMessages <= 0) {
            throw new IllegalArgumentException("outbox bounds must be positive (bytes " + maxBytes + ", messages " + maxMessages + ")");
        }
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.maxMessages = maxMessages;
        this.fsync = fsync;
        Files.createDirectories(dir);
        long maxSeq = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (name.endsWith(TMP_SUFFIX)) {
                    Files.deleteIfExists(f); // interrupted write: the publisher was never told it succeeded
                    continue;
                }
                if (!name.endsWith(SUFFIX)) {
                    continue;
                }
                long seq;
                try {
                    seq = Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
                } catch (NumberFormatException e) {
                    continue;
                }
                int size = (int) Math.min(Integer.MAX_VALUE, Files.size(f));
                index.put(seq, size);
                indexBytes += size;
                maxSeq = Math.max(maxSeq, seq);
            }
        }
        // time-based floor keeps ids unique across restarts even when the outbox was empty
        nextSeq = Math.max(maxSeq + 1, System.currentTimeMillis() * 1000);
        if (!index.isEmpty()) {
            LOG.info("Outbox {}: {} messages ({} bytes) kept from a previous run", dir, index.size(), indexBytes);
        }
        enforceBounds(0);
    }

    /** Stores a message durably and returns its sequence number. */
    public long add(String topic, int qos, boolean retain, String origin, byte[] payload) throws IOException {
        byte[] record = serialize(topic, qos, retain, origin == null ? "" : origin, payload);
        synchronized (this) {
            if (closed) {
                throw new IOException("outbox " + dir + " is closed");
            }
            if (record.length > maxBytes) {
                refused.incrementAndGet();
                throw new IOException("message of " + record.length + " bytes exceeds the outbox budget of " + maxBytes + " bytes");
            }
            enforceBounds(record.length);
            long seq = nextSeq++;
            Path tmp = dir.resolve(name(seq) + TMP_SUFFIX);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(record);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                if (fsync) {
                    ch.force(true);
                }
            }
            Files.move(tmp, dir.resolve(name(seq) + SUFFIX), StandardCopyOption.ATOMIC_MOVE);
            index.put(seq, record.length);
            indexBytes += record.length;
            enqueued.incrementAndGet();
            notifyAll();
            return seq;
        }
    }

    // caller holds the lock; makes room for one more record of the given size
    private void enforceBounds(int incoming) {
        while (!index.isEmpty() && (index.size() + (incoming > 0 ? 1 : 0) > maxMessages || indexBytes + incoming > maxBytes)) {
            Map.Entry<Long, Integer> oldest = index.pollFirstEntry();
            indexBytes -= oldest.getValue();
            dropped.incrementAndGet();
            deleteQuietly(oldest.getKey());
        }
    }

    /**
     * The first stored entry with a sequence number above {@code afterSeq},
     * waiting up to the timeout for one to arrive; null on timeout or close.
     * Unreadable files are deleted, counted and skipped.
     */
    public Entry next(long afterSeq, long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (true) {
            Long seq;
            synchronized (this) {
                while (!closed && (seq = index.higherKey(afterSeq)) == null) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return null;
                    }
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                }
                if (closed) {
                    return null;
                }
                seq = index.higherKey(afterSeq);
            }
            Entry e = read(seq);
            if (e != null) {
                return e;
            }
            afterSeq = seq; // vanished (dropped meanwhile) or corrupt: move on
        }
    }

    /** Forgets a delivered message; harmless if it was already dropped. */
    public void remove(long seq) {
        synchronized (this) {
            Integer size = index.remove(seq);
            if (size == null) {
                return;
            }
            indexBytes -= size;
            delivered.incrementAndGet();
        }
        deleteQuietly(seq);
    }

    public synchronized Stats stats() {
        return new Stats(index.size(), indexBytes, enqueued.get(), delivered.get(), dropped.get(), refused.get(), corrupt.get(),
                oldestAgeMillis());
    }

    /** Age of the oldest waiting message (from its file's time, so it survives restarts); 0 when empty. */
    private long oldestAgeMillis() {
        if (index.isEmpty()) {
            return 0;
        }
        try {
            long written = Files.getLastModifiedTime(dir.resolve(name(index.firstKey()) + SUFFIX)).toMillis();
            return Math.max(0, System.currentTimeMillis() - written);
        } catch (IOException e) {
            return 0; // just delivered or dropped
        }
    }

    public synchronized int size() {
        return index.size();
    }

    public Path directory() {
        return dir;
    }

    @Override
    public synchronized void close() {
        closed = true;
        notifyAll();
    }

    private Entry read(long seq) {
        Path file = dir.resolve(name(seq) + SUFFIX);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read outbox file " + file, e);
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (in.readInt() != MAGIC || in.readUnsignedByte() != VERSION) {
                throw new IOException("not an outbox record");
            }
            String topic = in.readUTF();
            int qos = in.readUnsignedByte();
            boolean retain = in.readBoolean();
            String origin = in.readUTF();
            int n = in.readInt();
            if (n < 0 || n > bytes.length) {
                throw new IOException("bad payload length " + n);
            }
            byte[] payload = new byte[n];
            in.readFully(payload);
            long crc = in.readLong();
            CRC32 check = new CRC32();
            check.update(payload);
            if (crc != check.getValue()) {
                throw new IOException("payload checksum mismatch");
            }
            return new Entry(seq, topic, qos, retain, origin, payload);
        } catch (IOException e) {
            LOG.warn("Outbox file {} is corrupt ({}); deleting it", file, e.getMessage());
            corrupt.incrementAndGet();
            synchronized (this) {
                Integer size = index.remove(seq);
                if (size != null) {
                    indexBytes -= size;
                }
            }
            deleteQuietly(seq);
            return null;
        }
    }

    private static byte[] serialize(String topic, int qos, boolean retain, String origin, byte[] payload) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(payload.length + topic.length() + 64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeByte(VERSION);
            out.writeUTF(topic);
            out.writeByte(qos);
            out.writeBoolean(retain);
            out.writeUTF(origin);
            out.writeInt(payload.length);
            out.write(payload);
            CRC32 crc = new CRC32();
            crc.update(payload);
            out.writeLong(crc.getValue());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private void deleteQuietly(long seq) {
        try {
            Files.deleteIfExists(dir.resolve(name(seq) + SUFFIX));
        } catch (IOException e) {
            LOG.warn("Cannot delete outbox file {} of {}: {}", seq, dir, e.getMessage());
        }
    }

    private static String name(long seq) {
        return String.format("%019d", seq);
    }
}

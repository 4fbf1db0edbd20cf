package io.edgetune.commands;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.edgetune.commands.internal.Command;
import io.edgetune.commands.internal.CommandException;
import io.edgetune.commands.internal.DeliverySettings;
import io.edgetune.commands.internal.UploadStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Partial uploads on disk: the real model file cut into chunks. */
public class UploadStoreTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static final int CHUNK = 256 * 1024;
    private byte[] pkg;
    private String sha;
    private Path dir;
    private DeliverySettings limits;

    @Before
    public void setUp() throws Exception {
        Path assets = Path.of(System.getProperty("edgetune.assets", System.getProperty("user.home") + "/.cache/edgetune"));
        // the first 3 MiB of the real model stand in for a package: real, incompressible bytes
        pkg = Arrays.copyOf(Files.readAllBytes(assets.resolve("ssd_mobilenetv2_oidv4_fp16.tflite")), 3 << 20);
        sha = sha(pkg);
        dir = tmp.getRoot().toPath().resolve("partial");
        limits = new DeliverySettings(dir, CHUNK, 4L << 20, 2, 6L << 20, 60_000, 10_000);
    }

    private static String sha(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private Command.Transfer chunk(String id, long offset, int len) throws Exception {
        byte[] c = Arrays.copyOfRange(pkg, (int) offset, (int) offset + len);
        return new Command.Transfer(id, offset, pkg.length, sha, sha(c), c, null);
    }

    private static int code(ThrowingRunnable r) throws Exception {
        try {
            r.run();
        } catch (CommandException e) {
            return e.code();
        }
        fail("expected a refusal");
        return 0;
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    public void chunksInOrderSurviveARestartAndCompleteToTheSameBytes() throws Exception {
        UploadStore store = new UploadStore(dir, limits);
        for (long off = 0; off < pkg.length / 2; off += CHUNK) {
            assertEquals(off + CHUNK, store.append(chunk("u1", off, CHUNK)).received());
        }
        // a new store on the same directory (bundle or gateway restart) knows where the upload stands
        UploadStore again = new UploadStore(dir, limits);
        UploadStore.State s = again.status("u1");
        assertEquals(pkg.length / 2, s.received());
        assertEquals(pkg.length, s.totalSize());
        assertEquals(sha, s.sha256());
        assertEquals(400, code(() -> again.completed("u1")));
        for (long off = s.received(); off < pkg.length; off += CHUNK) {
            again.append(chunk("u1", off, (int) Math.min(CHUNK, pkg.length - off)));
        }
        assertTrue(again.status("u1").complete());
        assertArrayEquals(pkg, Files.readAllBytes(again.completed("u1")));
        assertTrue(again.remove("u1"));
        assertEquals(404, code(() -> again.status("u1")));
        assertFalse(again.remove("u1"));
    }

    @Test
    public void wrongOffsetsAndHashesAreRefusedAndNothingIsStored() throws Exception {
        UploadStore store = new UploadStore(dir, limits);
        assertEquals(400, code(() -> store.append(chunk("u2", CHUNK, CHUNK))));  // unknown upload, not at 0
        store.append(chunk("u2", 0, CHUNK));
        assertEquals(400, code(() -> store.append(chunk("u2", 2L * CHUNK, CHUNK))));  // gap
        assertEquals(400, code(() -> store.append(chunk("u2", 0, CHUNK))));  // already held
        Command.Transfer good = chunk("u2", CHUNK, CHUNK);
        byte[] flipped = good.chunk().clone();
        flipped[100] ^= 1;
        assertEquals(400, code(() -> store.append(new Command.Transfer("u2", CHUNK, pkg.length, sha, good.chunkSha256(), flipped, null))));
        // same id, another package
        assertEquals(400, code(() -> store.append(new Command.Transfer("u2", CHUNK, pkg.length + 1L, sha, good.chunkSha256(), good.chunk(), null))));
        assertEquals(CHUNK, store.status("u2").received());
        assertEquals(2L * CHUNK, store.append(good).received());
    }

    @Test
    public void aPackageWithTheWrongWholeHashIsDiscardedAtCommit() throws Exception {
        UploadStore store = new UploadStore(dir, limits);
        String claimed = sha(new byte[] {1});
        for (long off = 0; off < pkg.length; off += CHUNK) {
            byte[] c = Arrays.copyOfRange(pkg, (int) off, (int) Math.min(pkg.length, off + CHUNK));
            store.append(new Command.Transfer("u3", off, pkg.length, claimed, sha(c), c, null));
        }
        try {
            store.completed("u3");
            fail();
        } catch (CommandException e) {
            assertEquals(400, e.code());
            assertTrue(e.getMessage(), e.getMessage().contains("discarded"));
        }
        assertEquals(404, code(() -> store.status("u3")));
    }

    @Test
    public void limitsOnChunkPackageCountAndDiskAreKept() throws Exception {
        UploadStore store = new UploadStore(dir, limits);
        byte[] big = Arrays.copyOf(pkg, CHUNK + 1);
        assertEquals(400, code(() -> store.append(new Command.Transfer("a", 0, pkg.length, sha, sha(big), big, null))));
        byte[] small = Arrays.copyOf(pkg, 1024);
        assertEquals(400, code(() -> store.append(new Command.Transfer("a", 0, 5L << 20, sha, sha(small), small, null))));
        store.append(new Command.Transfer("a", 0, 3L << 20, sha, sha(small), small, null));
        // 3 + 4 MiB would pass the 6 MiB reserved for uploads
        assertEquals(400, code(() -> store.append(new Command.Transfer("b", 0, 4L << 20, sha, sha(small), small, null))));
        store.append(new Command.Transfer("b", 0, 2L << 20, sha, sha(small), small, null));
        // two uploads at most
        assertEquals(400, code(() -> store.append(new Command.Transfer("c", 0, 1L << 20, sha, sha(small), small, null))));
        store.remove("a");
        store.append(new Command.Transfer("c", 0, 1L << 20, sha, sha(small), small, null));
    }

    @Test
    public void untouchedUploadsExpire() throws Exception {
        UploadStore store = new UploadStore(dir, limits);
        store.append(chunk("old", 0, CHUNK));
        store.append(chunk("new", 0, CHUNK));
        FileTime longAgo = FileTime.fromMillis(System.currentTimeMillis() - 120_000);
        Files.setLastModifiedTime(dir.resolve("old.part"), longAgo);
        Files.setLastModifiedTime(dir.resolve("old.meta"), longAgo);
        Files.write(dir.resolve("stray.part"), new byte[10]);
        assertEquals(1, store.expire());
        assertEquals(404, code(() -> store.status("old")));
        assertEquals(CHUNK, store.status("new").received());
        assertFalse(Files.exists(dir.resolve("stray.part")));
    }
}

package io.edgetune.cloud.mqtt;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.edgetune.cloud.mqtt.internal.Outbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class OutboxTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static List<String> drain(Outbox box) throws InterruptedException {
        List<String> topics = new ArrayList<>();
        long after = 0;
        Outbox.Entry e;
        while ((e = box.next(after, 10, TimeUnit.MILLISECONDS)) != null) {
            topics.add(e.topic());
            after = e.seq();
        }
        return topics;
    }

    @Test
    public void theOldestWaitingMessageHasAnAgeThatSurvivesReopeningAndEndsWhenItIsDelivered() throws Exception {
        Path dir = tmp.newFolder("outbox").toPath();
        try (Outbox box = new Outbox(dir, 1 << 20, 1000, false)) {
            assertEquals(0, box.stats().oldestAgeMillis());
            box.add("old", 1, false, "", new byte[1]);
            Thread.sleep(1000);
            box.add("new", 1, false, "", new byte[1]);
            assertTrue(box.stats().toString(), box.stats().oldestAgeMillis() >= 900);
        }
        try (Outbox box = new Outbox(dir, 1 << 20, 1000, false)) {
            assertTrue(box.stats().toString(), box.stats().oldestAgeMillis() >= 900);
            Outbox.Entry old = box.next(0, 1, TimeUnit.SECONDS);
            box.remove(old.seq());
            assertTrue(box.stats().toString(), box.stats().oldestAgeMillis() < 900);
            box.remove(box.next(old.seq(), 1, TimeUnit.SECONDS).seq());
            assertEquals(0, box.stats().oldestAgeMillis());
            assertEquals(2, box.stats().delivered());
        }
    }

    @Test
    public void keepsOrderAndSurvivesReopening() throws Exception {
        Path dir = tmp.newFolder("outbox").toPath();
        try (Outbox box = new Outbox(dir, 1 << 20, 1000, false)) {
            for (int i = 0; i < 20; i++) {
                box.add("t/" + i, 1, false, "pub", new byte[] {(byte) i});
            }
            Outbox.Entry first = box.next(0, 1, TimeUnit.SECONDS);
            box.remove(first.seq());
            assertEquals(19, box.size());
        }
        try (Outbox box = new Outbox(dir, 1 << 20, 1000, false)) {
            List<String> topics = drain(box);
            assertEquals(19, topics.size());
            for (int i = 0; i < 19; i++) {
                assertEquals("t/" + (i + 1), topics.get(i));
            }
            Outbox.Entry e = box.next(0, 1, TimeUnit.SECONDS);
            assertArrayEquals(new byte[] {1}, e.payload());
            assertEquals("pub", e.origin());
            assertEquals(1, e.qos());
            // sequence numbers keep growing after a restart
            long seq = box.add("later", 0, true, "", new byte[0]);
            assertTrue(seq > e.seq());
        }
    }

    @Test
    public void dropsTheOldestWhenFullAndCountsIt() throws Exception {
        try (Outbox box = new Outbox(tmp.newFolder().toPath(), 1 << 20, 5, false)) {
            for (int i = 0; i < 8; i++) {
                box.add("t/" + i, 1, false, "", new byte[10]);
            }
            assertEquals(List.of("t/3", "t/4", "t/5", "t/6", "t/7"), drain(box));
            Outbox.Stats s = box.stats();
            assertEquals(3, s.dropped());
            assertEquals(8, s.enqueued());
            assertEquals(5, s.pending());
        }
        // byte budget: each record is payload + ~30 bytes of header
        try (Outbox box = new Outbox(tmp.newFolder().toPath(), 1000, 1000, false)) {
            for (int i = 0; i < 10; i++) {
                box.add("t/" + i, 1, false, "", new byte[200]);
            }
            Outbox.Stats s = box.stats();
            assertTrue("bytes " + s.pendingBytes(), s.pendingBytes() <= 1000);
            assertEquals(10 - s.pending(), s.dropped());
            List<String> left = drain(box);
            assertEquals("t/9", left.get(left.size() - 1));
            IOException tooBig = assertThrows(IOException.class, () -> box.add("big", 1, false, "", new byte[2000]));
            assertTrue(tooBig.getMessage(), tooBig.getMessage().contains("exceeds the outbox budget"));
            assertEquals(1, box.stats().refused());
        }
    }

    @Test
    public void corruptAndPartialFilesAreSkipped() throws Exception {
        Path dir = tmp.newFolder().toPath();
        try (Outbox box = new Outbox(dir, 1 << 20, 100, true)) {
            box.add("a", 1, false, "", new byte[] {1, 2, 3});
            box.add("b", 1, false, "", new byte[] {4, 5, 6});
            box.add("c", 1, false, "", new byte[] {7});
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.sorted().toList();
        }
        // damage the payload of the second message and leave an interrupted write behind
        byte[] b = Files.readAllBytes(files.get(1));
        b[b.length - 9] ^= 0x40;
        Files.write(files.get(1), b);
        Files.write(dir.resolve("0000000000000000009.tmp"), new byte[] {1});
        try (Outbox box = new Outbox(dir, 1 << 20, 100, false)) {
            assertEquals(List.of("a", "c"), drain(box));
            assertEquals(1, box.stats().corrupt());
            assertTrue(Files.notExists(dir.resolve("0000000000000000009.tmp")));
        }
    }

    @Test
    public void nextWaitsForNewMessages() throws Exception {
        try (Outbox box = new Outbox(tmp.newFolder().toPath(), 1 << 20, 100, false)) {
            assertNull(box.next(0, 20, TimeUnit.MILLISECONDS));
            Thread producer = new Thread(() -> {
                try {
                    Thread.sleep(100);
                    box.add("late", 1, false, "", new byte[0]);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            producer.start();
            Outbox.Entry e = box.next(0, 30, TimeUnit.SECONDS);
            assertEquals("late", e.topic());
            producer.join();
        }
    }
}

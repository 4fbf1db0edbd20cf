package io.edgetune.itests;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import org.junit.Test;

/**
 * What systemd and Docker do to the shipped runtime: SIGTERM, then a start on
 * the same working directory. The framework must stop in order (the cloud
 * connection says goodbye with MQTT/DC before the embedded broker goes) and its
 * storage (outbox, uploads, configuration edits) must still be there afterwards.
 */
public class ShutdownAndRestartTest extends DemoProcessTest {

    @Test
    public void sigtermStopsTheFrameworkCleanlyAndTheStorageSurvivesARestart() throws Exception {
        demo = new DemoProcess(Paths.get("target", "shutdown-restart").toAbsolutePath());
        demo.start();
        demo.await(DemoProcess.DETECTIONS, Duration.ofSeconds(90));

        Path storage = demo.dir.resolve("runtime-data/demo");
        assertTrue("framework storage " + storage + " missing", Files.isDirectory(storage.resolve("bundle0")));
        Path marker = storage.resolve("itest-marker");
        Files.writeString(marker, "written before SIGTERM");

        long stopMs = demo.terminate(Duration.ofSeconds(30));
        System.out.println("itest: SIGTERM to exit took " + stopMs + " ms; topics after the last detection: "
                + demo.seen.subList(Math.max(0, demo.seen.lastIndexOf(DemoProcess.DETECTIONS)), demo.seen.size()));
        assertTrue("no clean disconnect (MQTT/DC) after SIGTERM; topics seen " + demo.seen,
                demo.seen.contains(DemoProcess.DISCONNECT));
        assertFalse("the broker published the last will: the connection was not closed cleanly",
                demo.seen.contains(DemoProcess.LAST_WILL));

        demo.start();
        demo.await(DemoProcess.DETECTIONS, Duration.ofSeconds(90));
        assertTrue("the framework storage was wiped at start: " + marker + " is gone", Files.exists(marker));
        String log = Files.readString(demo.dir.resolve("console.log"));
        String secondStart = log.substring(log.indexOf("=== start 2"));
        assertFalse("configurations were created afresh on the second start, so ConfigAdmin's store was lost:\n"
                + secondStart, secondStart.contains("Creating configuration"));
        demo.terminate(Duration.ofSeconds(30));
        assertTrue("no MQTT/DC after the second SIGTERM", demo.seen.contains(DemoProcess.DISCONNECT));
    }
}

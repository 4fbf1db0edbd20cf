package io.edgetune.commands;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.edgetune.api.detect.Detection;
import io.edgetune.commands.internal.JpegEncoder;
import io.edgetune.commands.internal.Snapshot;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.Test;

/** Snapshot boxes on a real frame: drawn where the detection is, and nowhere else. */
public class SnapshotBoxesTest {

    @Test
    public void boxesAreDrawnOnTheDetectionAndLeaveTheRestOfTheFrameAlone() throws Exception {
        Snapshot s;
        try (VideoSnapshots video = new VideoSnapshots("cam")) {
            s = video.next("cam", 1000);
        }
        Detection person = new Detection(4, "Person", 0.87f, 200, 150, 60, 160);

        BufferedImage plain = ImageIO.read(new ByteArrayInputStream(JpegEncoder.encode(s, 0.95f)));
        BufferedImage boxed = ImageIO.read(new ByteArrayInputStream(JpegEncoder.encode(s, 0.95f, List.of(person))));
        assertEquals(s.width(), boxed.getWidth());

        int greenOnEdge = 0;
        int greenInPlain = 0;
        for (int y = 170; y < 300; y += 10) {
            greenOnEdge += green(boxed.getRGB(200, y)) ? 1 : 0;
            greenInPlain += green(plain.getRGB(200, y)) ? 1 : 0;
        }
        assertTrue("green pixels on the box edge: " + greenOnEdge, greenOnEdge >= 10);
        assertEquals("the plain snapshot has no box", 0, greenInPlain);
        // far from the box the two encodings agree up to JPEG noise
        for (int[] p : new int[][] {{600, 450}, {50, 500}, {700, 100}}) {
            assertTrue("pixel " + p[0] + "," + p[1] + " changed", distance(plain.getRGB(p[0], p[1]), boxed.getRGB(p[0], p[1])) < 30);
        }
    }

    private static boolean green(int rgb) {
        int r = (rgb >> 16) & 0xff, g = (rgb >> 8) & 0xff, b = rgb & 0xff;
        return g > 180 && r < 120 && b < 120;
    }

    private static int distance(int a, int b) {
        return Math.abs(((a >> 16) & 0xff) - ((b >> 16) & 0xff)) + Math.abs(((a >> 8) & 0xff) - ((b >> 8) & 0xff))
                + Math.abs((a & 0xff) - (b & 0xff));
    }
}

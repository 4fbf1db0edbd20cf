package io.edgetune.inference;

import io.edgetune.api.detect.Detection;
import io.edgetune.api.frame.Frame;
import io.edgetune.api.motion.Region;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/** Draws detections (green) and crops (blue) on a frame and writes a PNG for eyeballing. */
public final class Render {

    private Render() {
    }

    public static void png(Frame f, List<Detection> dets, List<Region> regions, Path out) throws IOException {
        BufferedImage img = new BufferedImage(f.width(), f.height(), BufferedImage.TYPE_3BYTE_BGR);
        byte[] dst = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        f.pixels().get(0, dst, 0, f.byteSize());
        Graphics2D g = img.createGraphics();
        g.setStroke(new BasicStroke(2));
        g.setColor(Color.BLUE);
        for (Region r : regions) {
            g.drawRect(r.x(), r.y(), r.width(), r.height());
        }
        g.setColor(Color.GREEN);
        for (Detection d : dets) {
            g.drawRect(Math.round(d.x()), Math.round(d.y()), Math.round(d.width()), Math.round(d.height()));
            g.drawString(String.format("%s %.2f", d.label(), d.score()), d.x(), Math.max(10, d.y() - 2));
        }
        g.dispose();
        Files.createDirectories(out.toAbsolutePath().getParent());
        ImageIO.write(img, "png", out.toFile());
    }
}

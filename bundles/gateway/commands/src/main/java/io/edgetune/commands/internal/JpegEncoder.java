package io.edgetune.commands.internal;

import io.edgetune.api.detect.Detection;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** BGR pixels to JPEG with the JDK's encoder (TYPE_3BYTE_BGR has exactly the frame's byte layout). */
public final class JpegEncoder {

    private JpegEncoder() {
    }

    public static byte[] encode(Snapshot s, float quality) throws IOException {
        return encode(s, quality, List.of());
    }

    /** As {@link #encode(Snapshot, float)}, with each detection drawn as a labelled box. */
    public static byte[] encode(Snapshot s, float quality, List<Detection> boxes) throws IOException {
        if ((long) s.width() * s.height() * 3 != s.bgr().length) {
            throw new IOException("snapshot " + s.width() + "x" + s.height() + " does not match " + s.bgr().length + " bytes");
        }
        BufferedImage img = new BufferedImage(s.width(), s.height(), BufferedImage.TYPE_3BYTE_BGR);
        byte[] raster = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        System.arraycopy(s.bgr(), 0, raster, 0, raster.length);
        if (!boxes.isEmpty()) {
            draw(img, boxes);
        }
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        if (!writers.hasNext()) {
            throw new IOException("no JPEG encoder in this JVM");
        }
        ImageWriter writer = writers.next();
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.bgr().length / 8);
        try (MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(ios);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.write(null, new IIOImage(img, null, null), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    private static void draw(BufferedImage img, List<Detection> boxes) {
        Graphics2D g = img.createGraphics();
        try {
            int stroke = Math.max(2, img.getWidth() / 400);
            g.setStroke(new BasicStroke(stroke));
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(12, img.getHeight() / 45)));
            for (Detection d : boxes) {
                int x = Math.round(d.x());
                int y = Math.round(d.y());
                g.setColor(Color.GREEN);
                g.drawRect(x, y, Math.round(d.width()), Math.round(d.height()));
                String label = String.format(Locale.ROOT, "%s %.2f", d.label(), d.score());
                int textY = y > g.getFontMetrics().getAscent() + 2 ? y - 3 : y + g.getFontMetrics().getAscent() + stroke;
                g.setColor(Color.BLACK);
                g.drawString(label, x + 1, textY + 1);
                g.setColor(Color.GREEN);
                g.drawString(label, x, textY);
            }
        } finally {
            g.dispose();
        }
    }
}

package io.edgetune.liveview.internal;

import io.edgetune.api.frame.Frame;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * A frame as a JPEG, scaled down to a width cap first, with the JDK's encoder. Not OpenCV, which is
 * several times faster: the page encodes a few pictures a second and only while watched, and without
 * bytedeco imports the bundle needs nothing but the API, the servlet API and the JDK.
 */
final class JpegFrames {

    private JpegFrames() {
    }

    /** The JPEG of {@code f}, at most {@code maxWidth} wide (0: no cap). Safe from any thread while the caller holds the frame. */
    static byte[] encode(Frame f, int maxWidth, int quality) {
        int w = f.width();
        int h = f.height();
        // TYPE_3BYTE_BGR has the frame's byte layout: one copy out of the pooled buffer
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        byte[] raster = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        ByteBuffer px = f.pixels().duplicate();
        px.clear();
        px.get(raster, 0, w * h * Frame.CHANNELS);
        if (maxWidth > 0 && w > maxWidth) {
            int sh = Math.max(1, Math.round((float) h * maxWidth / w));
            BufferedImage scaled = new BufferedImage(maxWidth, sh, BufferedImage.TYPE_3BYTE_BGR);
            Graphics2D g = scaled.createGraphics();
            try {
                g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                g.drawImage(img, 0, 0, maxWidth, sh, null);
            } finally {
                g.dispose();
            }
            img = scaled;
        }
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        if (!writers.hasNext()) {
            throw new IllegalStateException("no JPEG encoder in this JVM");
        }
        ImageWriter writer = writers.next();
        ByteArrayOutputStream out = new ByteArrayOutputStream(img.getWidth() * img.getHeight() / 6);
        try (MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(ios);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality / 100f);
            writer.write(null, new IIOImage(img, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }
}

package io.edgetune.commands.internal;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
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
        if ((long) s.width() * s.height() * 3 != s.bgr().length) {
            throw new IOException("snapshot " + s.width() + "x" + s.height() + " does not match " + s.bgr().length + " bytes");
        }
        BufferedImage img = new BufferedImage(s.width(), s.height(), BufferedImage.TYPE_3BYTE_BGR);
        byte[] raster = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        System.arraycopy(s.bgr(), 0, raster, 0, raster.length);
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
}

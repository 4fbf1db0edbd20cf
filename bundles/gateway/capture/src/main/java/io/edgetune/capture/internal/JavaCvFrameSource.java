package io.edgetune.capture.internal;

import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

import io.edgetune.capture.internal.CameraSettings.Backend;
import io.edgetune.capture.internal.CameraSettings.SourceKind;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.javacv.OpenCVFrameGrabber;

/** Decodes through JavaCV: FFmpeg for every kind of source, or OpenCV's VideoCapture. */
final class JavaCvFrameSource implements FrameSource {

    static {
        // FFmpeg's own console chatter (stream dumps, per-frame warnings) would drown our single log line per fault
        av_log_set_level(AV_LOG_ERROR);
    }

    /** The error number in JavaCV's "avformat_open_input() error -111: ..." messages. */
    private static final Pattern FFMPEG_ERROR = Pattern.compile("\\(\\) error (-\\d+)");

    /** Linux's errno for "protocol not supported". */
    private static final int EPROTONOSUPPORT = 93;

    private final CameraSettings settings;
    private FrameGrabber grabber;
    private Frame image;
    private int width;
    private int height;

    JavaCvFrameSource(CameraSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open() throws IOException {
        close();
        String location = settings.decoderLocation();
        SourceKind kind = settings.kind();
        if (kind == SourceKind.FILE && !new File(location).isFile()) {
            throw new IOException("no such file: " + location);
        }
        FrameGrabber g = settings.backend() == Backend.OPENCV ? openCvGrabber(location, kind) : ffmpegGrabber(location, kind);
        g.setImageMode(FrameGrabber.ImageMode.COLOR);
        try {
            g.start();
        } catch (FrameGrabber.Exception | RuntimeException e) {
            releaseQuietly(g);
            throw new IOException("cannot open " + settings.displayLocation() + rtspNote(location) + ": " + openFailure(reason(e), location), e);
        }
        if (g.getImageWidth() <= 0 || g.getImageHeight() <= 0) {
            releaseQuietly(g);
            throw new IOException("no video stream in " + settings.displayLocation());
        }
        applyDecodeSize(g);
        grabber = g;
    }

    private FrameGrabber ffmpegGrabber(String location, SourceKind kind) {
        FFmpegFrameGrabber g = new FFmpegFrameGrabber(location);
        g.setPixelFormat(AV_PIX_FMT_BGR24);
        if (kind == SourceKind.DEVICE) {
            g.setFormat("video4linux2");
        } else if (kind == SourceKind.NETWORK) {
            String micros = Long.toString(settings.grabTimeoutMillis() * 1000);
            // rw_timeout bounds every read of any protocol; "timeout" is the socket timeout of http and rtsp.
            g.setOption("rw_timeout", micros);
            g.setOption("timeout", micros);
            if (location.toLowerCase(Locale.ROOT).startsWith("rtsp")) {
                g.setOption("rtsp_transport", settings.rtspTransport().ffmpegValue());
            }
        }
        return g;
    }

    /** Names the transport tried, since a camera that does not offer it refuses the stream with a bare status code. */
    private String rtspNote(String location) {
        if (settings.backend() == Backend.FFMPEG && location.toLowerCase(Locale.ROOT).startsWith("rtsp")) {
            return " (rtsp.transport " + settings.rtspTransport().name().toLowerCase(Locale.ROOT) + ")";
        }
        return "";
    }

    /**
     * FFmpeg reports open failures as a bare error number; this names it and, for RTSP, says what
     * a refused transport means (FFmpeg turns the server's "461 Unsupported transport" into EPROTONOSUPPORT).
     */
    private String openFailure(String reason, String location) {
        Matcher m = FFMPEG_ERROR.matcher(reason);
        if (!m.find()) {
            return reason;
        }
        int code = Integer.parseInt(m.group(1));
        if (code == -EPROTONOSUPPORT && location.toLowerCase(Locale.ROOT).startsWith("rtsp")) {
            if (settings.rtspTransport() == CameraSettings.RtspTransport.AUTO) {
                return "the camera offers neither RTSP transport udp nor tcp; " + reason;
            }
            return "the camera does not offer RTSP transport " + settings.rtspTransport().name().toLowerCase(Locale.ROOT)
                    + " (set rtsp.transport to the one it offers, or auto); " + reason;
        }
        byte[] text = new byte[256];
        if (av_strerror(code, text, text.length) == 0) {
            int n = 0;
            while (n < text.length && text[n] != 0) {
                n++;
            }
            return new String(text, 0, n, StandardCharsets.UTF_8) + "; " + reason;
        }
        return reason;
    }

    private static FrameGrabber openCvGrabber(String location, SourceKind kind) {
        if (kind == SourceKind.DEVICE && location.startsWith("/dev/video")) {
            try {
                return new OpenCVFrameGrabber(Integer.parseInt(location.substring("/dev/video".length())));
            } catch (NumberFormatException e) {
                // fall through: let OpenCV open the path itself
            }
        }
        return new OpenCVFrameGrabber(location);
    }

    /** decode.width/height: 0 keeps the source size, one of them alone keeps the aspect ratio. */
    private void applyDecodeSize(FrameGrabber g) {
        int sw = g.getImageWidth();
        int sh = g.getImageHeight();
        int w = settings.decodeWidth();
        int h = settings.decodeHeight();
        if (w == 0 && h == 0) {
            return;
        }
        if (w == 0) {
            w = Math.max(2, (int) Math.round((double) sw * h / sh));
        } else if (h == 0) {
            h = Math.max(2, (int) Math.round((double) sh * w / sw));
        }
        // FFmpeg scales in swscale while converting to BGR; the size may change after start.
        g.setImageWidth(w);
        g.setImageHeight(h);
    }

    @Override
    public Grab grab() throws IOException {
        Frame f;
        try {
            f = grabber instanceof FFmpegFrameGrabber ff ? ff.grabImage() : grabber.grab();
        } catch (FrameGrabber.Exception | RuntimeException e) {
            throw new IOException("decoding " + settings.displayLocation() + " failed: " + reason(e), e);
        }
        if (f == null) {
            return Grab.END;
        }
        if (f.image == null || f.image.length == 0 || f.imageWidth <= 0 || f.imageHeight <= 0
                || f.imageChannels != 3 || f.imageDepth != Frame.DEPTH_UBYTE || !(f.image[0] instanceof ByteBuffer)) {
            return Grab.CORRUPT;
        }
        ByteBuffer pixels = (ByteBuffer) f.image[0];
        if (f.imageStride < f.imageWidth * 3 || (long) f.imageStride * (f.imageHeight - 1) + f.imageWidth * 3L > pixels.capacity()) {
            return Grab.CORRUPT;
        }
        image = f;
        width = f.imageWidth;
        height = f.imageHeight;
        return Grab.IMAGE;
    }

    @Override
    public void copyTo(ByteBuffer dst) {
        ByteBuffer src = (ByteBuffer) image.image[0];
        int rowBytes = width * 3;
        int stride = image.imageStride;
        if (stride == rowBytes) {
            dst.put(0, src, 0, rowBytes * height);
        } else {
            for (int y = 0; y < height; y++) {
                dst.put(y * rowBytes, src, y * stride, rowBytes);
            }
        }
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public int height() {
        return height;
    }

    @Override
    public long timestampMicros() {
        return image != null ? image.timestamp : 0;
    }

    @Override
    public double frameRate() {
        if (grabber == null) {
            return 0;
        }
        double fps = grabber.getFrameRate();
        return Double.isFinite(fps) && fps > 0 && fps < 1000 ? fps : 0;
    }

    @Override
    public void close() {
        if (grabber != null) {
            releaseQuietly(grabber);
            grabber = null;
        }
        image = null;
    }

    private static void releaseQuietly(FrameGrabber g) {
        try {
            g.release();
        } catch (Exception | Error e) {
            // closing a broken source: nothing left to save
        }
    }

    /** The most specific message of an exception chain. */
    static String reason(Throwable e) {
        String msg = e.getMessage();
        Throwable c = e.getCause();
        while (c != null) {
            if (c.getMessage() != null) {
                msg = msg == null ? c.getMessage() : msg + " (" + c.getMessage() + ")";
            }
            c = c.getCause();
        }
        return msg == null ? e.getClass().getSimpleName() : msg;
    }
}

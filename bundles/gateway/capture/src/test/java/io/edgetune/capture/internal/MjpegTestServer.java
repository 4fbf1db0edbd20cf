package io.edgetune.capture.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * MJPEG over HTTP (multipart/x-mixed-replace) on 127.0.0.1, like an IP
 * camera's snapshot stream, with JPEG frames encoded from the sample video.
 * It can be killed mid-stream, started again on the same port, or told to
 * stall (keep the connection open and send nothing).
 */
final class MjpegTestServer implements AutoCloseable {

    private static final String BOUNDARY = "edgetuneframe";

    private final List<byte[]> jpegs;
    private final int fps;
    private HttpServer server;
    private ExecutorService executor;
    private int port;
    private volatile boolean killed;
    private volatile int stallAfterFrames = -1;

    MjpegTestServer(List<byte[]> jpegs, int fps) {
        this.jpegs = jpegs;
        this.fps = fps;
    }

    /** JPEG-encodes {@code count} frames of the sample video. */
    static List<byte[]> encodeSampleFrames(int count) throws Exception {
        List<byte[]> out = new ArrayList<>();
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(TestVideo.file());
             OpenCVFrameConverter.ToMat conv = new OpenCVFrameConverter.ToMat();
             BytePointer buf = new BytePointer()) {
            g.start();
            for (int i = 0; i < count; i++) {
                Frame f = g.grabImage();
                Mat m = conv.convert(f);
                opencv_imgcodecs.imencode(".jpg", m, buf);
                byte[] bytes = new byte[(int) buf.limit()];
                buf.get(bytes);
                out.add(bytes);
            }
            g.stop();
        }
        return out;
    }

    String url() {
        return "http://127.0.0.1:" + port + "/stream.mjpg";
    }

    /** Later connections send this many frames and then nothing, holding the connection open. */
    void stallAfter(int frames) {
        stallAfterFrames = frames;
    }

    synchronized void start() throws IOException {
        killed = false;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 4);
        port = server.getAddress().getPort();
        executor = Executors.newCachedThreadPool();
        server.setExecutor(executor);
        server.createContext("/stream.mjpg", this::serve);
        server.start();
    }

    /** Stops listening and cuts every open stream, like a camera losing power. */
    synchronized void kill() {
        killed = true;
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "multipart/x-mixed-replace; boundary=" + BOUNDARY);
        exchange.sendResponseHeaders(200, 0);
        int stall = stallAfterFrames;
        try (OutputStream out = exchange.getResponseBody()) {
            for (int i = 0; !killed; i++) {
                if (stall >= 0 && i >= stall) {
                    while (!killed) {
                        Thread.sleep(50);
                    }
                    break;
                }
                byte[] jpeg = jpegs.get(i % jpegs.size());
                String head = "--" + BOUNDARY + "\r\nContent-Type: image/jpeg\r\nContent-Length: " + jpeg.length + "\r\n\r\n";
                out.write(head.getBytes(StandardCharsets.US_ASCII));
                out.write(jpeg);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Thread.sleep(1000 / fps);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client went away or we were killed
        } finally {
            exchange.close();
        }
    }

    @Override
    public void close() {
        kill();
    }
}

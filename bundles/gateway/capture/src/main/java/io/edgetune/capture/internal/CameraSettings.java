package io.edgetune.capture.internal;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Validated settings of one camera, independent of OSGi so tests can build them directly.
 */
public record CameraSettings(String cameraId, boolean enabled, String sourceUri, Backend backend,
                             String username, String password, double targetFps,
                             int decodeWidth, int decodeHeight, boolean loop, boolean realtime,
                             long reconnectInitialMillis, long reconnectMaxMillis, long grabTimeoutMillis,
                             int poolSize, RtspTransport rtspTransport) {

    public enum Backend { FFMPEG, OPENCV }

    /**
     * How RTP media of an rtsp:// source travels: interleaved in the RTSP TCP connection, as UDP datagrams,
     * or UDP first with TCP as fallback (FFmpeg's rtsp_transport flags).
     */
    public enum RtspTransport {
        TCP("tcp"), UDP("udp"), AUTO("udp+tcp");

        private final String ffmpegValue;

        RtspTransport(String ffmpegValue) {
            this.ffmpegValue = ffmpegValue;
        }

        /** The value of FFmpeg's rtsp_transport option. */
        public String ffmpegValue() {
            return ffmpegValue;
        }

        /** Parses the rtsp.transport setting: tcp, udp or auto, any case; empty means tcp. */
        public static RtspTransport parse(String value) {
            if (value == null || value.isBlank()) {
                return TCP;
            }
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "tcp" -> TCP;
                case "udp" -> UDP;
                case "auto" -> AUTO;
                default -> throw new IllegalArgumentException("rtsp.transport must be tcp, udp or auto, was '" + value.trim() + "'");
            };
        }
    }

    /** How the source is reached; decides pacing and what "end of stream" means. */
    public enum SourceKind { FILE, DEVICE, NETWORK }

    public CameraSettings {
        if (cameraId == null || cameraId.isBlank()) {
            throw new IllegalArgumentException("camera.id must not be empty");
        }
        if (sourceUri == null || sourceUri.isBlank()) {
            throw new IllegalArgumentException("camera " + cameraId + ": source.uri must not be empty");
        }
        if (targetFps < 0 || decodeWidth < 0 || decodeHeight < 0) {
            throw new IllegalArgumentException("camera " + cameraId + ": target.fps, decode.width and decode.height must not be negative");
        }
        if (poolSize < 2) {
            throw new IllegalArgumentException("camera " + cameraId + ": pool.size must be at least 2, was " + poolSize);
        }
        if (reconnectInitialMillis < 1 || reconnectMaxMillis < reconnectInitialMillis) {
            throw new IllegalArgumentException("camera " + cameraId + ": need 0 < reconnect.initial.ms <= reconnect.max.ms");
        }
        if (grabTimeoutMillis < 1) {
            throw new IllegalArgumentException("camera " + cameraId + ": grab.timeout.ms must be positive");
        }
        cameraId = cameraId.trim();
        if (backend == Backend.OPENCV && !isDevice(sourceUri)) {
            // the bundled OpenCV has no FFmpeg inside its VideoCapture: it opens local cameras only
            throw new IllegalArgumentException("camera " + cameraId + ": source.backend opencv reads V4L2 devices (/dev/videoN) only; use ffmpeg for " + sourceUri);
        }
        sourceUri = sourceUri.trim();
        username = username == null ? "" : username;
        password = password == null ? "" : password;
        rtspTransport = rtspTransport == null ? RtspTransport.TCP : rtspTransport;
    }

    /** Settings without an explicit RTSP transport: TCP. */
    public CameraSettings(String cameraId, boolean enabled, String sourceUri, Backend backend,
                          String username, String password, double targetFps,
                          int decodeWidth, int decodeHeight, boolean loop, boolean realtime,
                          long reconnectInitialMillis, long reconnectMaxMillis, long grabTimeoutMillis,
                          int poolSize) {
        this(cameraId, enabled, sourceUri, backend, username, password, targetFps, decodeWidth, decodeHeight,
                loop, realtime, reconnectInitialMillis, reconnectMaxMillis, grabTimeoutMillis, poolSize, RtspTransport.TCP);
    }

    /** The same settings with another RTSP transport. */
    public CameraSettings withRtspTransport(RtspTransport transport) {
        return new CameraSettings(cameraId, enabled, sourceUri, backend, username, password, targetFps, decodeWidth,
                decodeHeight, loop, realtime, reconnectInitialMillis, reconnectMaxMillis, grabTimeoutMillis, poolSize, transport);
    }

    /** Settings for a file or stream with the defaults a test wants: every frame, no pacing. */
    public static CameraSettings forTest(String cameraId, String sourceUri) {
        return new CameraSettings(cameraId, true, sourceUri, Backend.FFMPEG, "", "", 0, 0, 0,
                false, false, 100, 1000, 2000, 4);
    }

    /** Settings from a configuration whose password is clear text (standalone). */
    public static CameraSettings from(CameraConfig c) {
        return from(c, c.source_password());
    }

    /** Settings from a configuration, with the password already decrypted (see KuraPasswords). */
    public static CameraSettings from(CameraConfig c, String clearPassword) {
        return new CameraSettings(c.camera_id(), c.enabled(), c.source_uri(),
                "opencv".equalsIgnoreCase(c.source_backend()) ? Backend.OPENCV : Backend.FFMPEG,
                c.source_username(), clearPassword, c.target_fps(), c.decode_width(), c.decode_height(),
                c.file_loop(), c.file_realtime(), c.reconnect_initial_ms(), c.reconnect_max_ms(),
                c.grab_timeout_ms(), c.pool_size(), rtspTransport(c));
    }

    private static RtspTransport rtspTransport(CameraConfig c) {
        try {
            return RtspTransport.parse(c.rtsp_transport());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("camera " + c.camera_id() + ": " + e.getMessage(), e);
        }
    }

    private static boolean isDevice(String uri) {
        String lower = uri.trim().toLowerCase(Locale.ROOT);
        return lower.startsWith("/dev/video") || lower.startsWith("v4l2:");
    }

    public SourceKind kind() {
        String lower = sourceUri.toLowerCase(Locale.ROOT);
        if (isDevice(lower)) {
            return SourceKind.DEVICE;
        }
        int colon = lower.indexOf("://");
        if (colon > 0 && !lower.startsWith("file:")) {
            return SourceKind.NETWORK;
        }
        return SourceKind.FILE;
    }

    /** The location handed to the decoder: file: URIs become paths, credentials go into the user info. */
    public String decoderLocation() {
        String uri = sourceUri;
        if (uri.toLowerCase(Locale.ROOT).startsWith("v4l2:")) {
            return uri.substring(5);
        }
        if (uri.toLowerCase(Locale.ROOT).startsWith("file:")) {
            return URI.create(uri).getPath();
        }
        if (kind() == SourceKind.NETWORK && !username.isEmpty()) {
            int start = uri.indexOf("://") + 3;
            String userInfo = encode(username) + (password.isEmpty() ? "" : ":" + encode(password));
            return uri.substring(0, start) + userInfo + "@" + uri.substring(start);
        }
        return uri;
    }

    /** The source as it may appear in logs and status: never with a password. */
    public String displayLocation() {
        String uri = sourceUri;
        int scheme = uri.indexOf("://");
        int at = uri.indexOf('@');
        int slash = scheme < 0 ? -1 : uri.indexOf('/', scheme + 3);
        if (scheme > 0 && at > scheme && (slash < 0 || at < slash)) {
            return uri.substring(0, scheme + 3) + "***@" + uri.substring(at + 1);
        }
        return uri;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}

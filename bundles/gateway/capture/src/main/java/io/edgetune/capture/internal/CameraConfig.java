package io.edgetune.capture.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** What a user sets for one camera in the Kura web console (one factory instance per camera). */
@ObjectClassDefinition(id = CameraComponent.PID, name = "EdgeTune camera",
        description = "One video source (file, RTSP/HTTP stream, MJPEG over HTTP or a V4L2 device) decoded into frames for the EdgeTune pipeline.")
public @interface CameraConfig {

    @AttributeDefinition(name = "camera.id", description = "Unique name of this camera; motion and inference stages select frames by it.")
    String camera_id() default "camera1";

    @AttributeDefinition(name = "enabled", description = "Grab frames from the source.")
    boolean enabled() default true;

    @AttributeDefinition(name = "source.uri", description = "A video file path (or file: URI), rtsp://, http(s):// (also MJPEG over HTTP), or a V4L2 device such as /dev/video0.")
    String source_uri() default "";

    @AttributeDefinition(name = "source.backend", description = "Decoder: FFmpeg handles every source kind; OpenCV's VideoCapture (V4L2) is an alternative for local devices only.",
            options = {@Option(label = "FFmpeg", value = "ffmpeg"), @Option(label = "OpenCV", value = "opencv")})
    String source_backend() default "ffmpeg";

    @AttributeDefinition(name = "source.username", description = "User name for the stream (empty: none). Sent as URI user info.", required = false)
    String source_username() default "";

    @AttributeDefinition(name = "source.password", description = "Password for the stream.", type = AttributeType.PASSWORD, required = false)
    String source_password() default "";

    @AttributeDefinition(name = "rtsp.transport", description = "How an rtsp:// camera sends its video: tcp (inside the RTSP connection, passes firewalls and NAT), udp (RTP datagrams, for cameras that offer nothing else) or auto (UDP first, TCP when the camera refuses UDP).",
            options = {@Option(label = "TCP", value = "tcp"), @Option(label = "UDP", value = "udp"), @Option(label = "Auto (UDP, then TCP)", value = "auto")})
    String rtsp_transport() default "tcp";

    @AttributeDefinition(name = "target.fps", description = "Frames per second delivered to the pipeline; extra frames are dropped and counted. 0 delivers every frame.", min = "0")
    double target_fps() default 5.0;

    @AttributeDefinition(name = "decode.width", description = "Width frames are scaled to while decoding; 0 keeps the source width (or follows decode.height, keeping the aspect ratio).", min = "0")
    int decode_width() default 0;

    @AttributeDefinition(name = "decode.height", description = "Height frames are scaled to while decoding; 0 keeps the source height (or follows decode.width, keeping the aspect ratio).", min = "0")
    int decode_height() default 0;

    @AttributeDefinition(name = "file.loop", description = "Start a video file again when it ends (demos); otherwise the camera stops in state ENDED.")
    boolean file_loop() default false;

    @AttributeDefinition(name = "file.realtime", description = "Pace a video file at its own frame rate, as a live camera would deliver it. Off: decode as fast as possible (tests, benchmarks).")
    boolean file_realtime() default true;

    @AttributeDefinition(name = "reconnect.initial.ms", description = "Wait before the first retry after a fault; doubles on every failed retry.", min = "10")
    int reconnect_initial_ms() default 1000;

    @AttributeDefinition(name = "reconnect.max.ms", description = "Longest wait between retries.", min = "10")
    int reconnect_max_ms() default 60000;

    @AttributeDefinition(name = "grab.timeout.ms", description = "A network source that delivers nothing for this long is treated as stalled and reopened.", min = "100")
    int grab_timeout_ms() default 10000;

    @AttributeDefinition(name = "pool.size", description = "Frame buffers for this camera (a 768x576 frame takes 1.3 MB). When all are in use downstream, new frames are dropped and counted.", min = "2", max = "32")
    int pool_size() default 5;
}

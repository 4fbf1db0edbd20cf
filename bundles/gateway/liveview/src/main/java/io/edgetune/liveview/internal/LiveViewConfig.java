package io.edgetune.liveview.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The live view page's configuration; validated into {@link LiveViewSettings} before anything starts. */
@ObjectClassDefinition(id = LiveViewComponent.PID, name = "EdgeTune live view",
        description = "Web page on the gateway's HTTP service: each camera's current frame with boxes, track ids and zones, "
                + "and the latest events with their snapshots.")
public @interface LiveViewConfig {

    @AttributeDefinition(name = "enabled", description = "Serve the page.")
    boolean enabled() default true;

    @AttributeDefinition(name = "bind.address",
            description = "The local address the page answers on: 127.0.0.1 (loopback, the default) or another address of this "
                    + "gateway, 0.0.0.0 for any. Requests that reach the HTTP service on another address get 404. Anything but "
                    + "loopback needs login.user and login.password.")
    String bind_address() default "127.0.0.1";

    @AttributeDefinition(name = "login.user", description = "User name for the page's login (empty: no login; only allowed on loopback).",
            required = false)
    String login_user() default "";

    @AttributeDefinition(name = "login.password", description = "Password for the page's login.", type = AttributeType.PASSWORD,
            required = false)
    String login_password() default "";

    @AttributeDefinition(name = "path.prefix",
            description = "Where the page is served on the HTTP service, e.g. /edgetune/live (letters, digits, '/', '-', '_', '.').")
    String path_prefix() default LiveViewSettings.DEFAULT_PREFIX;

    @AttributeDefinition(name = "whiteboard.target",
            description = "LDAP filter selecting the HTTP Whiteboard (osgi.http.whiteboard.target), e.g. to serve the page on a second "
                    + "HTTP service with its own port; empty for any.", required = false)
    String whiteboard_target() default "";

    @AttributeDefinition(name = "refresh.ms",
            description = "Shortest time between two pictures of a camera (the page polls at this rate; a camera's JPEG is "
                    + "encoded at most this often and only while someone watches it).", min = "100", max = "10000")
    int refresh_ms() default 250;

    @AttributeDefinition(name = "jpeg.quality", description = "JPEG quality of the live pictures (1..100).", min = "1", max = "100")
    int jpeg_quality() default 75;

    @AttributeDefinition(name = "jpeg.max.width",
            description = "Pictures wider than this are scaled down (keeping the aspect ratio) before encoding; 0 keeps the frame size.",
            min = "0")
    int jpeg_max_width() default 960;

    @AttributeDefinition(name = "events.max", description = "Latest events kept and shown per camera.", min = "1", max = "200")
    int events_max() default 20;
}

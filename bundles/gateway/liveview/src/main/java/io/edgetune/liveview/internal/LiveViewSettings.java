package io.edgetune.liveview.internal;

import io.edgetune.api.config.ConfigValues;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The checked configuration of the live view.
 *
 * @param bind      the local address requests must arrive on; a wildcard address accepts any
 * @param loginUser empty when the page has no login (loopback only)
 */
record LiveViewSettings(boolean enabled, InetAddress bind, String loginUser, String loginPassword, String prefix,
                        String whiteboardTarget, int refreshMillis, int jpegQuality, int jpegMaxWidth, int eventsMax) {

    static final String DEFAULT_PREFIX = "/edgetune/live";

    /** Checks every value; throws IllegalArgumentException naming the first bad one. */
    static LiveViewSettings from(LiveViewConfig c) {
        InetAddress bind = address(c.bind_address());
        String user = c.login_user() == null ? "" : c.login_user().trim();
        String password = c.login_password() == null ? "" : c.login_password();
        if (!bind.isLoopbackAddress() && (user.isEmpty() || password.isEmpty())) {
            throw new IllegalArgumentException("bind.address " + bind.getHostAddress() + " is not loopback: set login.user and "
                    + "login.password, or keep bind.address=127.0.0.1 (the page shows the cameras to anyone who can reach it)");
        }
        if (user.isEmpty() != password.isEmpty()) {
            throw new IllegalArgumentException("login.user and login.password must be set together");
        }
        String target = c.whiteboard_target() == null ? "" : c.whiteboard_target().trim();
        return new LiveViewSettings(c.enabled(), bind, user, password, prefix(c.path_prefix()), target,
                ConfigValues.range("refresh.ms", c.refresh_ms(), 100, 10_000),
                ConfigValues.range("jpeg.quality", c.jpeg_quality(), 1, 100),
                ConfigValues.atLeast("jpeg.max.width", c.jpeg_max_width(), 0),
                ConfigValues.range("events.max", c.events_max(), 1, 200));
    }

    boolean loginRequired() {
        return !loginUser.isEmpty();
    }

    /** Whether a request that reached the HTTP service on {@code localAddress} is for this page. */
    boolean accepts(String localAddress) {
        if (bind.isAnyLocalAddress()) {
            return true;
        }
        if (localAddress == null || !literal(localAddress)) {
            return false;
        }
        try {
            InetAddress local = InetAddress.getByName(localAddress);
            return bind.isLoopbackAddress() ? local.isLoopbackAddress() : bind.equals(local);
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** An IP literal (no name lookups while configuring) or "localhost". */
    static InetAddress address(String value) {
        String v = ConfigValues.required("bind.address", value);
        if (v.equalsIgnoreCase("localhost")) {
            return InetAddress.getLoopbackAddress();
        }
        if (!literal(v)) {
            throw new IllegalArgumentException("bind.address must be an IP address such as 127.0.0.1 or 0.0.0.0, not " + v);
        }
        try {
            return InetAddress.getByName(v);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bind.address must be an IP address such as 127.0.0.1 or 0.0.0.0, not " + v);
        }
    }

    private static boolean literal(String v) {
        String s = v.startsWith("[") && v.endsWith("]") ? v.substring(1, v.length() - 1) : v;
        return s.matches("[0-9.]{7,15}") || (s.contains(":") && s.matches("[0-9A-Fa-f:.%a-z]+"));
    }

    /** The prefix without a trailing slash; refused when it is not a plain path. */
    static String prefix(String configured) {
        String p = ConfigValues.required("path.prefix", configured);
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (!p.matches("(/[A-Za-z0-9_-][A-Za-z0-9._-]*)+") || p.contains("/..")) {
            throw new IllegalArgumentException("path.prefix must be a plain path such as " + DEFAULT_PREFIX + ", not " + configured);
        }
        return p;
    }
}

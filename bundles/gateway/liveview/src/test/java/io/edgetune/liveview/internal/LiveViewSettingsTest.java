package io.edgetune.liveview.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.lang.annotation.Annotation;
import org.junit.Test;

public class LiveViewSettingsTest {

    /** The configuration as the annotation's defaults give it, with bind address and login overridden. */
    static LiveViewConfig config(String bind, String user, String password, String prefix) {
        return new LiveViewConfig() {
            @Override public Class<? extends Annotation> annotationType() { return LiveViewConfig.class; }
            @Override public boolean enabled() { return true; }
            @Override public String bind_address() { return bind; }
            @Override public String login_user() { return user; }
            @Override public String login_password() { return password; }
            @Override public String path_prefix() { return prefix; }
            @Override public String whiteboard_target() { return ""; }
            @Override public int refresh_ms() { return 250; }
            @Override public int jpeg_quality() { return 75; }
            @Override public int jpeg_max_width() { return 960; }
            @Override public int events_max() { return 20; }
        };
    }

    @Test
    public void loopbackNeedsNoLoginAndAnswersOnlyOnLoopback() {
        LiveViewSettings s = LiveViewSettings.from(config("127.0.0.1", "", "", "/edgetune/live/"));
        assertFalse(s.loginRequired());
        assertEquals("/edgetune/live", s.prefix());
        assertTrue(s.accepts("127.0.0.1"));
        assertTrue(s.accepts("0:0:0:0:0:0:0:1"));
        assertFalse(s.accepts("192.168.1.20"));
        assertFalse(s.accepts(null));
        assertFalse("names are not looked up", s.accepts("localhost.example"));
    }

    @Test
    public void anotherAddressWithoutALoginIsRefusedWithWhatToSet() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LiveViewSettings.from(config("0.0.0.0", "", "", "/edgetune/live")));
        assertTrue(e.getMessage(), e.getMessage().contains("login.user") && e.getMessage().contains("0.0.0.0"));
        assertThrows(IllegalArgumentException.class, () -> LiveViewSettings.from(config("192.168.1.20", "operator", "", "/x")));
    }

    @Test
    public void anotherAddressWithALoginAnswersThereOnly() {
        LiveViewSettings s = LiveViewSettings.from(config("192.168.1.20", "operator", "pw", "/x"));
        assertTrue(s.loginRequired());
        assertTrue(s.accepts("192.168.1.20"));
        assertFalse(s.accepts("127.0.0.1"));
        LiveViewSettings any = LiveViewSettings.from(config("0.0.0.0", "operator", "pw", "/x"));
        assertTrue(any.accepts("10.1.2.3") && any.accepts("127.0.0.1"));
    }

    @Test
    public void badAddressesAndPrefixesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> LiveViewSettings.from(config("gateway.example", "", "", "/x")));
        assertThrows(IllegalArgumentException.class, () -> LiveViewSettings.from(config("127.0.0.1", "", "", "/a/../b")));
        assertThrows(IllegalArgumentException.class, () -> LiveViewSettings.from(config("127.0.0.1", "", "", "live")));
        assertThrows(IllegalArgumentException.class, () -> LiveViewSettings.from(config("127.0.0.1", "", "", "/a b")));
    }
}

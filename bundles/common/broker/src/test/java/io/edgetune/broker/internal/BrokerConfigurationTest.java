package io.edgetune.broker.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import io.edgetune.api.config.TypedConfig;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.Test;

/**
 * A malformed broker configuration is refused with a message naming the
 * property, before any listener is opened.
 */
public class BrokerConfigurationTest {

    private static String refusal(Map<String, ?> properties) {
        BrokerComponent c = new BrokerComponent();
        // no BundleContext: activation must fail on the configuration before it needs one
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> c.activate(null, TypedConfig.of(BrokerComponent.Config.class, properties)));
        c.deactivate();
        return e.getMessage();
    }

    @Test
    public void aPortOutOfRangeIsRefusedAndNothingListens() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        assertEquals("port must be 1..65535, not 70000", refusal(Map.of("port", 70000)));
        // websocket on the MQTT port: refused as a whole, so the valid MQTT port was not opened either
        assertEquals("websocket.port must be 1..65535 and differ from port, not " + port,
                refusal(Map.of("port", port, "websocket.enabled", true, "websocket.port", port, "persistence.dir", "/nonexistent")));
        try (ServerSocket free = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertEquals("the refused configuration left the port free", port, free.getLocalPort());
        }
    }

    @Test
    public void anEmptyHostAndATooSmallMessageLimitAreRefused() {
        assertEquals("host is empty", refusal(Map.of("host", "  ")));
        assertEquals("max.message.bytes must be at least 1024", refusal(Map.of("max.message.bytes", "100")));
    }

    @Test
    public void aPortThatIsNotANumberIsRefusedNamingTheProperty() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TypedConfig.of(BrokerComponent.Config.class, Map.of("port", "mqtt")));
        assertEquals("port must be an integer, not 'mqtt'", e.getMessage());
    }

    @Test
    public void theTypedConfigurationCarriesTheDeclaredDefaults() {
        BrokerSettings s = BrokerSettings.from(TypedConfig.of(BrokerComponent.Config.class, Map.of()));
        assertEquals(new BrokerSettings(true, "127.0.0.1", 1883, false, 8080, true, "", true, 16 * 1024 * 1024), s);
    }
}

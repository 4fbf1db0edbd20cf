package io.edgetune.console.internal;

import static org.junit.Assert.assertEquals;

import io.edgetune.cloud.mqtt.status.CloudConnectionStatus;
import org.junit.Test;

public class ConnectionLineTest {

    @Test
    public void anOutageShowsTheBacklogAndItsAge() {
        CloudConnectionStatus during = () -> new CloudConnectionStatus.Snapshot(false, "tcp://127.0.0.1:1883", 1, 1, 74, 151_552,
                61_500, 389, 0, 0, 3, 0, 0);
        assertEquals("mqtt: NOT CONNECTED to tcp://127.0.0.1:1883; outbox 74 waiting (148 KB, oldest 61.5 s), 389 delivered, "
                + "0 dropped, 0 refused; 1 connects, 1 losses", ConnectionLine.of(during));
    }
}

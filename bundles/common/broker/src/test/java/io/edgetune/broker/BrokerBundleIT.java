package io.edgetune.broker;

import static org.junit.Assert.assertEquals;

import io.edgetune.testsupport.FelixRuntime;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;

/**
 * The packaged bundle in a real Felix framework with SCR and ConfigAdmin:
 * it resolves with nothing but slf4j and the Kura API subset, starts Moquette
 * on the configured port, stops and restarts cleanly.
 */
public class BrokerBundleIT {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void bundleStartsMoquetteInFelix() throws Exception {
        int port = EmbeddedBrokerTest.freePort();
        try (FelixRuntime felix = FelixRuntime.start(tmp.newFolder("felix").toPath(), Map.of())) {
            List<File> runtime = new ArrayList<>(FelixRuntime.declarativeServices());
            runtime.add(FelixRuntime.edgetune("io.edgetune.kura.api"));
            felix.installAndStart(runtime, false);
            // configure the port before the broker bundle starts
            felix.configure("io.edgetune.broker.Broker",
                    Map.of("port", port, "persistence.dir", tmp.newFolder("moquette").getAbsolutePath()));

            Bundle broker = felix.install(FelixRuntime.builtBundle("io.edgetune.broker"), false);
            broker.start();
            assertEquals(Bundle.ACTIVE, broker.getState());
            // nothing of Moquette or Netty is exported
            assertEquals(null, broker.getHeaders().get(Constants.EXPORT_PACKAGE));

            assertBrokerAnswers(port);
            broker.stop();
            broker.start();
            assertBrokerAnswers(port);
        }
    }

    private static void assertBrokerAnswers(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                MqttClient c = new MqttClient("tcp://127.0.0.1:" + port, "probe", new MemoryPersistence());
                c.connect(new MqttConnectOptions());
                c.publish("probe", new byte[] {1}, 1, false);
                c.disconnect();
                c.close();
                return;
            } catch (Exception e) {
                last = e;
                Thread.sleep(200);
            }
        }
        throw new AssertionError("embedded broker did not answer on port " + port, last);
    }
}

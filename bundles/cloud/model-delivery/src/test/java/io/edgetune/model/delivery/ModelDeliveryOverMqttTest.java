package io.edgetune.model.delivery;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import io.edgetune.api.model.ModelDescriptor;
import io.edgetune.testsupport.BrokerAndDispatcherTest;
import io.edgetune.commands.internal.DeliverySettings;
import java.nio.file.Files;
import java.security.KeyPair;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The real 8 MB model, packaged and signed, delivered in 256 KiB chunks to
 * the real gateway side through a real broker; cut off mid-way by a gateway
 * restart or a broker restart and resumed.
 */
public class ModelDeliveryOverMqttTest extends BrokerAndDispatcherTest {

    private GatewaySide gateway;
    private MqttClient cloud;
    private KeyPair keys;

    public ModelDeliveryOverMqttTest(String brokerKind, String dispatcher) {
        super(brokerKind, dispatcher);
    }

    @Before
    public void setUp() throws Exception {
        startBroker();
        keys = ModelPackager.generateKeyPair();
        gateway = new GatewaySide(tmp.newFolder("gateway").toPath(), broker.url(), ModelPackager.trustedKeyText(keys.getPrivate()),
                DeliverySettings.defaults(), kuraLike);
        cloud = new MqttClient(broker.url(), "annotator-" + brokerKind, new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setAutomaticReconnect(true);
        o.setMaxReconnectDelay(1000);
        cloud.connect(o);
    }

    @After
    public void tearDown() throws Exception {
        if (cloud != null) {
            if (cloud.isConnected()) {
                cloud.disconnect(1000);
            }
            cloud.close(true);
        }
        if (gateway != null) {
            gateway.close();
        }
        broker.stop();
    }

    private byte[] signedPackage(String version) throws Exception {
        return ModelPackager.build(Assets.model(), Assets.descriptor(version), keys.getPrivate());
    }

    private static void print(String what, String broker, DeliveryOutcome o, int size) {
        System.out.printf("%s over %s: %s %s, %d package bytes, %d bytes sent in %d chunks, %d retries, %d ms (%.1f MB/s)%n", what, broker,
                o.version(), o.accepted() ? "accepted" : "REFUSED " + o.message(), size, o.bytes(), o.chunks(), o.retries(), o.millis(),
                size / 1e6 / Math.max(1, o.millis()) * 1000);
    }

    @Test
    public void deliversASignedPackageInChunksAndActivatesIt() throws Exception {
        byte[] pkg = signedPackage("plaza-v2");
        try (ModelSender sender = new ModelSender(cloud, GatewaySide.ACCOUNT)) {
            AtomicInteger progress = new AtomicInteger();
            DeliveryOutcome o = sender.send(GatewaySide.GATEWAY, pkg, true, (gw, received, total) -> progress.incrementAndGet());
            print("delivery", brokerKind, o, pkg.length);
            assertTrue(o.message(), o.accepted());
            assertEquals(200, o.responseCode());
            assertEquals("installed and activated", o.message());
            assertEquals("plaza-v2", o.version());
            int expectedChunks = (pkg.length + 256 * 1024 - 1) / (256 * 1024);
            assertEquals(expectedChunks, o.chunks());
            assertEquals(expectedChunks, progress.get());
            assertEquals(pkg.length, o.bytes());
            assertEquals(0, o.retries());
        }
        assertEquals("plaza-v2", gateway.registry.activeVersion().orElseThrow());
        assertEquals("plaza-v2", gateway.runningModel());
        ModelDescriptor d = gateway.registry.active().orElseThrow();
        assertEquals(ModelPackager.sha256Hex(Assets.model()), d.sha256());
        assertEquals(0.61, d.metrics().get("ap50"), 1e-9);
        try (var left = Files.list(gateway.partialUploads())) {
            assertEquals("the committed upload is removed", 0, left.count());
        }
    }

    /** A delivery that names a camera activates the model for that camera only; the default and other cameras keep theirs. */
    @Test
    public void aDeliveryForOneCameraActivatesItForThatCameraOnly() throws Exception {
        byte[] pkg = signedPackage("front-v2");
        try (ModelSender sender = new ModelSender(cloud, GatewaySide.ACCOUNT)) {
            DeliveryOutcome o = sender.send(GatewaySide.GATEWAY, "front", pkg, true, null);
            print("delivery for camera front", brokerKind, o, pkg.length);
            assertTrue(o.message(), o.accepted());
            assertEquals("front-v2", o.version());
        }
        assertEquals(java.util.Map.of("front", "front-v2"), gateway.registry.cameraModels());
        assertEquals("the gateway default is untouched", "base-oidv4", gateway.registry.activeVersion().orElseThrow());
        assertEquals("base-oidv4", gateway.runningModel());
        assertEquals("front-v2", gateway.registry.activeVersion("front").orElseThrow());
        assertEquals("base-oidv4", gateway.registry.activeVersion("door").orElseThrow());
        assertEquals(java.util.Map.of("front", "front-v2"), gateway.detector.status(0, 0).cameraModels());
    }

    @Test
    public void resumesAfterAGatewayRestartWithoutResendingEverything() throws Exception {
        // on both brokers: no test skips
        byte[] pkg = signedPackage("plaza-v3");
        AtomicReference<Thread> restarter = new AtomicReference<>();
        ModelSender.Options options = ModelSender.Options.defaults().withRequestTimeout(Duration.ofSeconds(3));
        try (ModelSender sender = new ModelSender(cloud, GatewaySide.ACCOUNT, options)) {
            DeliveryOutcome o = sender.send(GatewaySide.GATEWAY, pkg, false, (gw, received, total) -> {
                if (received == 10L * 256 * 1024 && restarter.get() == null) {
                    // the gateway goes down between two chunks and is back after more than a request timeout
                    gateway.stop();
                    Thread t = new Thread(() -> {
                        try {
                            Thread.sleep(4000);
                            gateway.start();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
                    restarter.set(t);
                    t.start();
                }
            });
            restarter.get().join();
            print("delivery across a gateway restart", brokerKind, o, pkg.length);
            assertTrue(o.message(), o.accepted());
            assertTrue("retried " + o.retries(), o.retries() > 0);
            assertTrue("resent at most a few chunks: " + o.bytes(), o.bytes() <= pkg.length + 3L * 256 * 1024);
        }
        assertTrue(gateway.registry.list().stream().anyMatch(d -> d.version().equals("plaza-v3")));
        assertEquals("not activated when not asked", "base-oidv4", gateway.registry.activeVersion().orElseThrow());
    }

    @Test
    public void resumesAfterABrokerRestart() throws Exception {
        byte[] pkg = signedPackage("plaza-v4");
        AtomicReference<Thread> restarter = new AtomicReference<>();
        ModelSender.Options options = ModelSender.Options.defaults().withRequestTimeout(Duration.ofSeconds(3));
        try (ModelSender sender = new ModelSender(cloud, GatewaySide.ACCOUNT, options)) {
            DeliveryOutcome o = sender.send(GatewaySide.GATEWAY, pkg, true, (gw, received, total) -> {
                if (received == 12L * 256 * 1024 && restarter.get() == null) {
                    try {
                        broker.stop();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    Thread t = new Thread(() -> {
                        try {
                            Thread.sleep(1500);
                            broker.start();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
                    restarter.set(t);
                    t.start();
                }
            });
            restarter.get().join();
            print("delivery across a broker restart", brokerKind, o, pkg.length);
            assertTrue(o.message(), o.accepted());
            assertTrue("retried " + o.retries(), o.retries() > 0);
            assertTrue("resent at most a few chunks: " + o.bytes(), o.bytes() <= pkg.length + 3L * 256 * 1024);
        }
        assertEquals("plaza-v4", gateway.registry.activeVersion().orElseThrow());
        assertEquals("plaza-v4", gateway.runningModel());
        assertFalse(gateway.registry.history().isEmpty());
        assertNotNull(gateway.registry.active().orElseThrow().baseVersion());
    }
}

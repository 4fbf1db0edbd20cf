package io.edgetune.model.delivery;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.edgetune.testsupport.TestBroker;
import io.edgetune.commands.internal.DeliverySettings;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;

/**
 * The annotator's situation: the client that delivers the model also holds a
 * persistent QoS 1 subscription to the gateways' ~60 KB samples and takes its
 * time with each one. Moquette 0.17 drops a PUBACK (silently) when the
 * connection it goes out on is above Netty's write high-water mark, which a
 * backlog of samples towards a busy subscriber causes; Paho never resends on
 * a live connection, so a publish waiting for that PUBACK waited forever.
 */
@RunWith(Parameterized.class)
public class DeliveryUnderSampleTrafficTest {

    @Parameters(name = "{0}")
    public static List<Object[]> brokers() {
        return List.of(new Object[] {"embedded-moquette"}, new Object[] {"mosquitto"});
    }

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private final String brokerKind;
    private TestBroker broker;
    private String url;
    private GatewaySide gateway;
    private MqttClient annotator;
    private MqttClient sampler;
    private MqttClient requests;
    private final CountDownLatch gate = new CountDownLatch(1);
    private final AtomicLong samplesIn = new AtomicLong();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    public DeliveryUnderSampleTrafficTest(String brokerKind) {
        this.brokerKind = brokerKind;
    }

    private void start() throws Exception {
        // "embedded-moquette": Moquette exactly as bundles/common/broker's EmbeddedBroker configures it
        broker = TestBroker.create(brokerKind, tmp.newFolder("broker").toPath());
        broker.start();
        url = broker.url();
    }

    /**
     * A client set up like the annotator's CloudLink. Its sample handler waits
     * at {@link #gate} while that is closed: the annotator busy elsewhere.
     */
    private MqttClient annotatorClient() throws Exception {
        MqttClient c = new MqttClient(url, "annotator-" + brokerKind, new MemoryPersistence());
        String filter = GatewaySide.ACCOUNT + "/+/EDGETUNE/samples/+";
        c.setCallback(new MqttCallbackExtended() {
            @Override
            public void connectComplete(boolean reconnect, String serverUri) {
                try {
                    c.subscribe(filter, 1);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) throws InterruptedException {
                samplesIn.incrementAndGet();
                gate.await();
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(false);
        o.setAutomaticReconnect(true);
        // keep-alive off: the stalled handler holds Paho's receiver, which would trip the keep-alive after
        // a minute and end the wait by a reconnect; the annotator's connection stayed up and waited forever
        o.setKeepAliveInterval(0);
        o.setMaxInflight(64);
        c.connect(o);
        return c;
    }

    /** A clean-session client for requests only, as CloudLink now hands to ModelSender. */
    private MqttClient requestClient() throws Exception {
        MqttClient c = new MqttClient(url, "annotator-" + brokerKind + "-requests", new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setAutomaticReconnect(true);
        o.setKeepAliveInterval(30);
        c.connect(o);
        return c;
    }

    /**
     * Big QoS 1 samples towards the annotator until its connection is backed
     * up: more than the socket buffers and the broker's in-flight window hold.
     */
    private void floodSamples(int count, int bytes) throws Exception {
        sampler = new MqttClient(url, "pi-1-camera", new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setMaxInflight(count + 1);
        sampler.connect(o);
        byte[] sample = new byte[bytes];
        new Random(7).nextBytes(sample);
        for (int i = 0; i < count; i++) {
            MqttMessage m = new MqttMessage(sample);
            m.setQos(1);
            sampler.publish(GatewaySide.ACCOUNT + "/pi-1/EDGETUNE/samples/cam0", m);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (samplesIn.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals("the annotator took the first sample and sits on it", 1, samplesIn.get());
        // Moquette resends the unacknowledged in-flight window after 5 s: that fills the socket for good
        Thread.sleep(7000);
    }

    @After
    public void tearDown() {
        gate.countDown();
        threads.shutdownNow();
        for (MqttClient c : new MqttClient[] {sampler, annotator, requests}) {
            if (c != null) {
                try {
                    c.disconnectForcibly(500, 500);
                } catch (Exception e) {
                    // already gone
                }
                try {
                    c.close(true);
                } catch (Exception e) {
                    // closing anyway
                }
            }
        }
        if (gateway != null) {
            gateway.close();
        }
        if (broker != null) {
            try {
                broker.stop();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private DeliveryOutcome sendBounded(ModelSender sender, byte[] pkg, String version) throws Exception {
        Future<DeliveryOutcome> f = threads.submit(() -> sender.send(GatewaySide.GATEWAY, pkg, true));
        try {
            return f.get(3, TimeUnit.MINUTES);
        } catch (TimeoutException e) {
            sender.cancel();
            throw new AssertionError("the delivery of " + version + " hung");
        }
    }

    private static void print(String what, String broker, DeliveryOutcome o) {
        System.out.printf("%s over %s: %s, %d bytes sent in %d chunks, %d retries, %d ms%n", what, broker,
                o.accepted() ? "accepted" : "REFUSED " + o.message(), o.bytes(), o.chunks(), o.retries(), o.millis());
    }

    private byte[] setUpGatewayAndPackage(String version) throws Exception {
        start();
        KeyPair keys = ModelPackager.generateKeyPair();
        gateway = new GatewaySide(tmp.newFolder("gateway").toPath(), url, ModelPackager.trustedKeyText(keys.getPrivate()),
                DeliverySettings.defaults());
        return ModelPackager.build(Assets.model(), Assets.descriptor(version), keys.getPrivate());
    }

    /**
     * The sender shares its client with a backed-up sample subscription:
     * Moquette drops the PUBACKs, the replies wait behind the samples. The
     * delivery must end (refused, bounded by its retries) instead of hanging,
     * and a later delivery resumes once the samples flow again.
     */
    @Test
    public void aSharedClientWithABackedUpSubscriptionNeverHangsTheDelivery() throws Exception {
        byte[] pkg = setUpGatewayAndPackage("plaza-shared");
        annotator = annotatorClient();
        floodSamples(24, 1 << 20);
        ModelSender.Options options = ModelSender.Options.defaults().withRequestTimeout(Duration.ofSeconds(2))
                .withMaxRetries(2).withDeadline(Duration.ofMinutes(2));
        try (ModelSender sender = new ModelSender(annotator, GatewaySide.ACCOUNT, options)) {
            DeliveryOutcome stuck = sendBounded(sender, pkg, "plaza-shared");
            print("delivery on a backed-up shared client", brokerKind, stuck);
            assertFalse("no reply can come through while the subscription is backed up", stuck.accepted());
            assertEquals(0, stuck.chunks());

            gate.countDown(); // the annotator takes its samples again
            assertTrue("the shared client stayed connected", annotator.isConnected());
            DeliveryOutcome o = sendBounded(sender, pkg, "plaza-shared");
            print("delivery once the samples flow again", brokerKind, o);
            assertTrue(o.message(), o.accepted());
            assertEquals("plaza-shared", o.version());
        }
        assertEquals("plaza-shared", gateway.registry.activeVersion().orElseThrow());
    }

    /** CloudLink's layout: requests on their own clean-session client are not held up by the backed-up samples. */
    @Test
    public void aDedicatedRequestClientDeliversWhileTheSampleSubscriptionIsBackedUp() throws Exception {
        byte[] pkg = setUpGatewayAndPackage("plaza-dedicated");
        annotator = annotatorClient();
        floodSamples(24, 1 << 20);
        requests = requestClient();
        ModelSender.Options options = ModelSender.Options.defaults().withRequestTimeout(Duration.ofSeconds(5));
        try (ModelSender sender = new ModelSender(requests, GatewaySide.ACCOUNT, options)) {
            DeliveryOutcome o = sendBounded(sender, pkg, "plaza-dedicated");
            print("delivery on a dedicated request client", brokerKind, o);
            assertTrue(o.message(), o.accepted());
            assertEquals(0, o.retries());
        }
        assertEquals("the samples were still held up meanwhile", 1, samplesIn.get());
        assertEquals("plaza-dedicated", gateway.registry.activeVersion().orElseThrow());
    }
}

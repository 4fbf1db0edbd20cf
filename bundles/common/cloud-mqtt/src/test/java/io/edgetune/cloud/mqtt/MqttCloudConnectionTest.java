package io.edgetune.cloud.mqtt;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import io.edgetune.cloud.mqtt.codec.KuraPayloadCodec;
import io.edgetune.cloud.mqtt.codec.KuraTopics;
import io.edgetune.cloud.mqtt.codec.KuraTopics.Verb;
import io.edgetune.cloud.mqtt.internal.ConnectionSettings;
import io.edgetune.cloud.mqtt.internal.DeviceProfile;
import io.edgetune.cloud.mqtt.internal.MqttCloudConnection;
import io.edgetune.cloud.mqtt.internal.MqttCloudPublisher;
import io.edgetune.cloud.mqtt.internal.MqttCloudSubscriber;
import io.edgetune.cloud.mqtt.testing.CloudClient;
import io.edgetune.testsupport.TestBroker;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.kura.KuraErrorCode;
import org.eclipse.kura.KuraException;
import org.eclipse.kura.cloudconnection.message.KuraMessage;
import org.eclipse.kura.cloudconnection.request.RequestHandler;
import org.eclipse.kura.cloudconnection.request.RequestHandlerContext;
import org.eclipse.kura.cloudconnection.request.RequestHandlerMessageConstants;
import org.eclipse.kura.message.KuraPayload;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;

/** The cloud connection against real brokers (Moquette in-process, mosquitto as a process). */
@RunWith(Parameterized.class)
public class MqttCloudConnectionTest {

    private static final String ACCOUNT = "acme";
    private static final String GATEWAY = "gw-1";
    /** Every data topic of the EDGETUNE application of the gateway. */
    private static final String EDGETUNE_DATA = ACCOUNT + "/" + GATEWAY + "/EDGETUNE/#";

    @Parameters(name = "{0}")
    public static List<Object[]> brokers() {
        return List.of(new Object[] {"moquette"}, new Object[] {"mosquitto"});
    }

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private final String brokerKind;
    private TestBroker broker;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final List<MqttCloudConnection> connections = new ArrayList<>();

    public MqttCloudConnectionTest(String brokerKind) {
        this.brokerKind = brokerKind;
    }

    @Before
    public void startBroker() throws Exception {
        broker = TestBroker.create(brokerKind, tmp.newFolder("broker").toPath());
        broker.start();
    }

    @After
    public void stopAll() throws Exception {
        for (MqttCloudConnection c : connections) {
            c.stop(3000);
        }
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception ignored) {
                // broker may be down already
            }
        }
        broker.stop();
    }

    private MqttCloudConnection connection(Path outbox) throws Exception {
        Map<String, Object> p = new HashMap<>();
        p.put("broker.url", broker.url());
        p.put("account.name", ACCOUNT);
        p.put("client.id", GATEWAY);
        p.put("reconnect.min.delay.ms", 100);
        p.put("reconnect.max.delay.ms", 500);
        p.put("display.name", "test gateway");
        MqttCloudConnection c = new MqttCloudConnection(ConnectionSettings.from(p), outbox, "0.1.0.test",
                new DeviceProfile("EdgeTune", "Raspberry Pi 4 Model B", "SN-42", null, "org.apache.felix.framework", "7.0.5"));
        connections.add(c);
        return c;
    }

    private CloudClient cloud(String... filters) throws Exception {
        CloudClient c = new CloudClient(broker.url(), "cloud-" + brokerKind);
        closeables.add(c);
        for (String f : filters) {
            c.subscribe(f);
        }
        return c;
    }

    /** A cloud client on the EDGETUNE data topics, a connected gateway and its publisher of numbered messages on .../seq. */
    private record Sequence(CloudClient cloud, MqttCloudConnection gw, MqttCloudPublisher pub) {
    }

    private Sequence sequence() throws Exception {
        CloudClient cloud = cloud(EDGETUNE_DATA);
        MqttCloudConnection gw = connectedGateway();
        return new Sequence(cloud, gw, publisher(gw, "seq"));
    }

    /** A started gateway connection with a fresh outbox, once it is connected. */
    private MqttCloudConnection connectedGateway() throws Exception {
        MqttCloudConnection gw = connection(tmp.newFolder("outbox").toPath());
        gw.start();
        awaitConnected(gw);
        return gw;
    }

    private static void awaitConnected(MqttCloudConnection c) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!c.isConnected() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue("gateway did not connect", c.isConnected());
    }

    private static MqttCloudPublisher publisher(MqttCloudConnection c, String appTopic) {
        Map<String, Object> p = new HashMap<>();
        p.put("kura.service.pid", "edgetune-detections");
        p.put("app.id", "EDGETUNE");
        p.put("app.topic", appTopic);
        return new MqttCloudPublisher(c, MqttCloudPublisher.Settings.from(p));
    }

    private static KuraMessage numbered(int n, String camera) {
        KuraPayload p = new KuraPayload();
        p.setTimestamp(new Date());
        p.addMetric("n", n);
        Map<String, Object> props = new HashMap<>();
        props.put("camera.id", camera);
        return new KuraMessage(p, props);
    }

    @Test
    public void birthCertificateAndDataArriveWithTheDocumentedTopicsAndFields() throws Exception {
        CloudClient cloud = cloud("$EDC/" + ACCOUNT + "/+/MQTT/#", ACCOUNT + "/#");
        MqttCloudConnection gw = connection(tmp.newFolder("outbox").toPath());
        gw.registerRequestHandler("EDGETUNE-V1", new RequestHandler() { });
        gw.start();

        CloudClient.Received birth = cloud.await(KuraTopics.birth(ACCOUNT, GATEWAY)::equals, 30);
        KuraPayload b = birth.payload();
        assertNotNull(b.getTimestamp());
        assertEquals("test gateway", b.getMetric("display_name"));
        assertEquals("EdgeTune", b.getMetric("application_framework"));
        assertEquals("0.1.0.test", b.getMetric("application_framework_version"));
        assertEquals("gzip", b.getMetric("accept_encoding"));
        // Kura's birth metrics, all strings as Kura sends them
        assertTrue(Long.parseLong((String) b.getMetric("uptime")) >= 0);
        assertEquals("KURA_PROTOBUF", b.getMetric("payload_encoding"));
        assertEquals("0.1.0.test", b.getMetric("kura_version"));
        assertEquals("SN-42", b.getMetric("serial_number"));
        assertEquals("Raspberry Pi 4 Model B", b.getMetric("model_id"));
        assertEquals("EdgeTune", b.getMetric("model_name"));
        assertEquals("org.apache.felix.framework", b.getMetric("osgi_framework"));
        assertEquals("7.0.5", b.getMetric("osgi_framework_version"));
        assertTrue(b.metrics().toString(), ((String) b.getMetric("connection_ip")).matches("[0-9a-fA-F.:,]+|UNKNOWN"));
        assertTrue(((String) b.getMetric("jvm_version")).startsWith(System.getProperty("java.vm.version")));
        assertEquals(Integer.toString(Runtime.getRuntime().availableProcessors()), b.getMetric("available_processors"));
        assertTrue(b.metrics().toString(), String.valueOf(b.getMetric("application_ids")).contains("EDGETUNE-V1"));

        MqttCloudPublisher pub = publisher(gw, "detections/$camera.id");
        List<String> confirmed = new CopyOnWriteArrayList<>();
        gw.addDeliveryListener("edgetune-detections", confirmed::add);
        String id = pub.publish(numbered(7, "cam-a"));
        CloudClient.Received data = cloud.await(t -> !t.startsWith("$"), 30);
        assertEquals("acme/gw-1/EDGETUNE/detections/cam-a", data.topic());
        assertEquals(7, data.payload().getMetric("n"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!confirmed.contains(id) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue("delivery of " + id + " confirmed: " + confirmed, confirmed.contains(id));

        KuraException missing = null;
        try {
            pub.publish(new KuraMessage(new KuraPayload()));
        } catch (KuraException e) {
            missing = e;
        }
        assertNotNull("a topic placeholder without its property is refused", missing);
        assertEquals(KuraErrorCode.INVALID_PARAMETER, missing.getCode());

        // clean stop sends the disconnect certificate
        gw.stop(3000);
        cloud.await(KuraTopics.disconnect(ACCOUNT, GATEWAY)::equals, 30);
    }

    @Test
    public void brokerOutageLosesNothingAndKeepsOrder() throws Exception {
        Sequence seq = sequence();
        int total = 0;
        for (int i = 0; i < 100; i++) {
            seq.pub().publish(numbered(total++, "x"));
        }
        // let the first batch reach the cloud client: messages in flight between broker and subscriber at the
        // moment the broker dies are the broker's responsibility (Moquette 0.17 does not persist those)
        Set<Integer> seen = new LinkedHashSet<>();
        collectInto(seq.cloud(), seen, 100);
        assertEquals(100, seen.size());
        broker.stop();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (seq.gw().isConnected() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertFalse("gateway noticed the outage", seq.gw().isConnected());
        for (int i = 0; i < 300; i++) {
            seq.pub().publish(numbered(total++, "x")); // goes to the disk outbox
        }
        assertTrue("messages wait in the outbox: " + seq.gw().status().outbox(), seq.gw().status().outbox().pending() >= 300);
        broker.start();
        for (int i = 0; i < 100; i++) {
            seq.pub().publish(numbered(total++, "x"));
        }
        collectInto(seq.cloud(), seen, total);
        assertInOrder(seen, total);
        System.out.printf("%s outage: %s%n", brokerKind, seq.gw().status());
        assertEquals(0, seq.gw().status().outbox().dropped());
    }

    /** Prints the delivery rate through the disk outbox (a figure, not an assertion). */
    @Test
    public void throughputFigure() throws Exception {
        Sequence seq = sequence();
        int n = 2000;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            KuraMessage m = numbered(i, "x");
            m.getPayload().setBody(new byte[200]);
            seq.pub().publish(m);
        }
        long queued = System.nanoTime();
        Set<Integer> seen = new LinkedHashSet<>();
        collectInto(seq.cloud(), seen, n);
        long done = System.nanoTime();
        assertInOrder(seen, n);
        System.out.printf("%s throughput: %d messages of ~230 bytes: publish into outbox %.0f msg/s, end-to-end %.0f msg/s%n",
                brokerKind, n, n / ((queued - t0) / 1e9), n / ((done - t0) / 1e9));
    }

    @Test
    public void gatewayRestartWhileTheBrokerIsDownLosesNothing() throws Exception {
        CloudClient cloud = cloud(EDGETUNE_DATA);
        cloud.close(); // persistent session: the broker queues for it while it is away
        Path outbox = tmp.newFolder("outbox").toPath();
        broker.stop();
        MqttCloudConnection first = connection(outbox);
        first.start();
        MqttCloudPublisher pub = publisher(first, "seq");
        for (int i = 0; i < 250; i++) {
            pub.publish(numbered(i, "x"));
        }
        first.stop(3000); // bundle stopped with 250 messages undelivered

        MqttCloudConnection second = connection(outbox);
        assertEquals(250, second.status().outbox().pending());
        broker.start();
        second.start();
        CloudClient again = cloud(EDGETUNE_DATA);
        assertDeliveredInOrder(again, 250);
    }

    /** Adds the numbers of arriving /seq messages to {@code seen} until it holds {@code total}; returns duplicates. */
    private static int collectInto(CloudClient cloud, Set<Integer> seen, int total) throws Exception {
        int duplicates = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (seen.size() < total && System.nanoTime() < deadline) {
            for (CloudClient.Received r : cloud.collect(t -> t.endsWith("/seq"), total - seen.size(), 5)) {
                if (!seen.add((Integer) r.payload().getMetric("n"))) {
                    duplicates++;
                }
            }
        }
        if (duplicates > 0) {
            System.out.printf("%d duplicates (resent after the outage)%n", duplicates);
        }
        return duplicates;
    }

    /** All numbers 0..total-1 arrived; the first arrival of each is in order (resends after an outage are allowed). */
    private static void assertInOrder(Set<Integer> seen, int total) {
        if (seen.size() != total) {
            Set<Integer> missing = new java.util.TreeSet<>();
            for (int i = 0; i < total; i++) {
                if (!seen.contains(i)) {
                    missing.add(i);
                }
            }
            throw new AssertionError("received " + seen.size() + " of " + total + " messages; missing " + missing);
        }
        int expected = 0;
        for (int n : seen) {
            assertEquals("order of first arrivals", expected++, n);
        }
    }

    private static void assertDeliveredInOrder(CloudClient cloud, int total) throws Exception {
        Set<Integer> seen = new LinkedHashSet<>();
        collectInto(cloud, seen, total);
        assertInOrder(seen, total);
    }

    @Test
    public void requestsGetRepliesAndBadRequestsGetErrors() throws Exception {
        CloudClient cloud = cloud("$EDC/" + ACCOUNT + "/cloud-" + brokerKind + "/#", "$EDC/" + ACCOUNT + "/" + GATEWAY + "/+/REPLY/#");
        MqttCloudConnection gw = connection(tmp.newFolder("outbox").toPath());
        LinkedBlockingQueue<List<String>> seenArgs = new LinkedBlockingQueue<>();
        gw.registerRequestHandler("ECHO-V1", new RequestHandler() {
            @Override
            public KuraMessage doGet(RequestHandlerContext context, KuraMessage req) throws KuraException {
                @SuppressWarnings("unchecked")
                List<String> args = (List<String>) req.getProperties().get(RequestHandlerMessageConstants.ARGS_KEY.value());
                seenArgs.add(args);
                if (args.isEmpty()) {
                    throw new KuraException(KuraErrorCode.BAD_REQUEST, "say what to echo");
                }
                if (args.get(0).equals("crash")) {
                    throw new IllegalStateException("handler bug");
                }
                if (args.get(0).equals("overflow")) {
                    throw new StackOverflowError();
                }
                if (args.get(0).equals("own-code")) {
                    // the handler's reply goes out as it is, its own response.code included
                    KuraPayload p = new KuraPayload();
                    p.addMetric(KuraTopics.RESPONSE_CODE, 404);
                    p.addMetric(KuraTopics.RESPONSE_EXCEPTION_MESSAGE, "no such echo");
                    p.addMetric("not.found", "echo");
                    return new KuraMessage(p);
                }
                KuraPayload p = new KuraPayload();
                p.addMetric("echo", String.join("/", args));
                p.setBody(req.getPayload().getBody());
                return new KuraMessage(p);
            }
        });
        gw.start();
        awaitConnected(gw);

        KuraPayload body = new KuraPayload();
        body.setBody("hi".getBytes());
        KuraPayload ok = cloud.request(ACCOUNT, GATEWAY, "ECHO-V1", Verb.GET, "r1", body, "a", "b");
        assertEquals(200, ok.getMetric(KuraTopics.RESPONSE_CODE));
        assertEquals("a/b", ok.getMetric("echo"));
        assertEquals("hi", new String(ok.getBody()));
        assertEquals(List.of("a", "b"), seenArgs.poll(1, TimeUnit.SECONDS));

        KuraPayload bad = cloud.request(ACCOUNT, GATEWAY, "ECHO-V1", Verb.GET, "r2", new KuraPayload());
        assertEquals(400, bad.getMetric(KuraTopics.RESPONSE_CODE));
        assertTrue(String.valueOf(bad.getMetric(KuraTopics.RESPONSE_EXCEPTION_MESSAGE)).contains("say what to echo"));

        KuraPayload crash = cloud.request(ACCOUNT, GATEWAY, "ECHO-V1", Verb.GET, "r3", new KuraPayload(), "crash");
        assertEquals(500, crash.getMetric(KuraTopics.RESPONSE_CODE));
        assertTrue(String.valueOf(crash.getMetric(KuraTopics.RESPONSE_EXCEPTION_MESSAGE)).contains("handler bug"));

        KuraPayload overflow = cloud.request(ACCOUNT, GATEWAY, "ECHO-V1", Verb.GET, "r3b", new KuraPayload(), "overflow");
        assertEquals(500, overflow.getMetric(KuraTopics.RESPONSE_CODE));
        assertTrue(String.valueOf(overflow.getMetric(KuraTopics.RESPONSE_EXCEPTION_MESSAGE)).contains("StackOverflowError"));

        KuraPayload own = cloud.request(ACCOUNT, GATEWAY, "ECHO-V1", Verb.GET, "r3c", new KuraPayload(), "own-code");
        assertEquals(404, own.getMetric(KuraTopics.RESPONSE_CODE));
        assertEquals("no such echo", own.getMetric(KuraTopics.RESPONSE_EXCEPTION_MESSAGE));
        assertEquals("echo", own.getMetric("not.found"));
        assertEquals(3, own.metrics().size());

        // a verb the handler does not implement: Kura's OPERATION_NOT_SUPPORTED, which Kura answers with 500
        KuraPayload unsupported = cloud.request(ACCOUNT, GATEWAY, "ECHO-V1", Verb.DEL, "r4", new KuraPayload(), "x");
        assertEquals(500, unsupported.getMetric(KuraTopics.RESPONSE_CODE));
        assertTrue(String.valueOf(unsupported.getMetric(KuraTopics.RESPONSE_EXCEPTION_MESSAGE)).contains("OPERATION_NOT_SUPPORTED"));

        KuraPayload noApp = cloud.request(ACCOUNT, GATEWAY, "NOPE-V1", Verb.GET, "r5", new KuraPayload(), "x");
        assertEquals(404, noApp.getMetric(KuraTopics.RESPONSE_CODE));

        // an unknown verb in the topic
        KuraPayload req = new KuraPayload();
        req.addMetric(KuraTopics.REQUEST_ID, "r6");
        req.addMetric(KuraTopics.REQUESTER_CLIENT_ID, cloud.clientId());
        cloud.publish("$EDC/" + ACCOUNT + "/" + GATEWAY + "/ECHO-V1/FETCH/a", req);
        KuraPayload verb = cloud.await(KuraTopics.reply(ACCOUNT, cloud.clientId(), "ECHO-V1", "r6")::equals, 30).payload();
        assertEquals(400, verb.getMetric(KuraTopics.RESPONSE_CODE));
        assertTrue(String.valueOf(verb.getMetric(KuraTopics.RESPONSE_EXCEPTION_MESSAGE)).contains("FETCH"));

        // undecodable payload and missing request.id: answered on the gateway's REPLY/error topic
        String errorTopic = KuraTopics.reply(ACCOUNT, GATEWAY, "ECHO-V1", "error");
        cloud.publish(KuraTopics.request(ACCOUNT, GATEWAY, "ECHO-V1", Verb.GET, "a"), new byte[] {(byte) 0xC2, (byte) 0xB8, 2, 50});
        KuraPayload malformed = cloud.await(errorTopic::equals, 30).payload();
        assertEquals(400, malformed.getMetric(KuraTopics.RESPONSE_CODE));
        assertTrue(String.valueOf(malformed.getMetric(KuraTopics.RESPONSE_EXCEPTION_MESSAGE)).contains("malformed"));
        cloud.publish(KuraTopics.request(ACCOUNT, GATEWAY, "ECHO-V1", Verb.GET, "a"), new KuraPayload());
        KuraPayload anonymous = cloud.await(errorTopic::equals, 30).payload();
        assertTrue(String.valueOf(anonymous.getMetric(KuraTopics.RESPONSE_EXCEPTION_MESSAGE)).contains("request.id"));

        // still serving after all that
        KuraPayload after = cloud.request(ACCOUNT, GATEWAY, "ECHO-V1", Verb.GET, "r7", new KuraPayload(), "z");
        assertEquals(200, after.getMetric(KuraTopics.RESPONSE_CODE));
        assertEquals(11, gw.status().requests());
    }

    @Test
    public void handlerChangesOnALiveConnectionAreAnnouncedWithAppsNotANewBirth() throws Exception {
        CloudClient cloud = cloud("$EDC/" + ACCOUNT + "/" + GATEWAY + "/MQTT/#");
        MqttCloudConnection gw = connection(tmp.newFolder("outbox").toPath());
        gw.registerRequestHandler("ONE-V1", new RequestHandler() { });
        gw.start();
        KuraPayload birth = cloud.await(KuraTopics.birth(ACCOUNT, GATEWAY)::equals, 30).payload();
        assertEquals("ONE-V1", birth.getMetric("application_ids"));

        gw.registerRequestHandler("TWO-V1", new RequestHandler() { });
        CloudClient.Received apps = cloud.await(t -> t.startsWith("$EDC/" + ACCOUNT + "/" + GATEWAY + "/MQTT/"), 30);
        assertEquals(KuraTopics.apps(ACCOUNT, GATEWAY), apps.topic());
        assertEquals("$EDC/acme/gw-1/MQTT/APPS", apps.topic());
        assertEquals("ONE-V1,TWO-V1", apps.payload().getMetric("application_ids"));
        assertEquals("the APPS message carries the birth metrics", birth.metrics().keySet(), apps.payload().metrics().keySet());

        gw.unregister("ONE-V1");
        CloudClient.Received after = cloud.await(t -> t.startsWith("$EDC/" + ACCOUNT + "/" + GATEWAY + "/MQTT/"), 30);
        assertEquals(KuraTopics.apps(ACCOUNT, GATEWAY), after.topic());
        assertEquals("TWO-V1", after.payload().getMetric("application_ids"));
        assertEquals(1, gw.status().connects());
    }

    @Test
    public void subscribersReceiveCloudToDeviceMessages() throws Exception {
        MqttCloudConnection gw = connectedGateway();
        Map<String, Object> cfg = new HashMap<>();
        cfg.put("app.id", "EDGETUNE");
        cfg.put("app.topic", "config/+");
        MqttCloudSubscriber sub = new MqttCloudSubscriber(gw, MqttCloudSubscriber.Settings.from(cfg));
        LinkedBlockingQueue<KuraMessage> got = new LinkedBlockingQueue<>();
        sub.registerCloudSubscriberListener(got::add);
        CloudClient cloud = cloud();
        KuraPayload p = new KuraPayload();
        p.addMetric("threshold", 0.6d);
        cloud.publish("$EDC/" + ACCOUNT + "/" + GATEWAY + "/EDGETUNE/other", KuraPayloadCodec.encode(p));
        cloud.publish("$EDC/" + ACCOUNT + "/" + GATEWAY + "/EDGETUNE/config/cam-a", KuraPayloadCodec.encode(p));
        KuraMessage m = got.poll(30, TimeUnit.SECONDS);
        assertNotNull(m);
        assertEquals(0.6d, m.getPayload().getMetric("threshold"));
        assertEquals("$EDC/acme/gw-1/EDGETUNE/config/cam-a", m.getProperties().get("topic"));
        assertEquals(null, got.poll(300, TimeUnit.MILLISECONDS));
    }
}

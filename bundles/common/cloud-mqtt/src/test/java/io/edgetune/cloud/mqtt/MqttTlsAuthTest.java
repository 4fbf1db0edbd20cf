package io.edgetune.cloud.mqtt;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.edgetune.cloud.mqtt.codec.KuraPayloadCodec;
import io.edgetune.cloud.mqtt.codec.KuraTopics;
import io.edgetune.cloud.mqtt.internal.ConnectionSettings;
import io.edgetune.cloud.mqtt.internal.MqttCloudConnection;
import io.edgetune.testsupport.TestBroker;
import java.io.FileInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.kura.message.KuraPayload;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * TLS (server certificate from a test CA, host name verified against
 * 127.0.0.1) and username/password against mosquitto.
 */
public class MqttTlsAuthTest {

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    private static TestBroker broker;
    private static Path trustStore;

    private static void run(Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
    }

    @BeforeClass
    public static void startTlsBroker() throws Exception {
        Path pki = tmp.newFolder("pki").toPath();
        run(pki, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=EdgeTune test CA",
                "-keyout", "ca.key", "-out", "ca.pem");
        run(pki, "openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", "server.key",
                "-out", "server.csr");
        Files.writeString(pki.resolve("san.ext"), "subjectAltName=IP:127.0.0.1\n");
        run(pki, "openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-days", "2", "-extfile", "san.ext", "-out", "server.pem");
        run(pki, "keytool", "-importcert", "-noprompt", "-storetype", "PKCS12", "-keystore", "trust.p12",
                "-storepass", "changeit", "-alias", "ca", "-file", "ca.pem");
        trustStore = pki.resolve("trust.p12");
        Path passwords = pki.resolve("passwd");
        Files.writeString(passwords, "");
        // On a fresh machine this test may run before any other has installed mosquitto.
        String mosquittoPasswd = TestBroker.mosquittoTool("mosquitto_passwd");
        run(pki, mosquittoPasswd, "-b", passwords.toString(), "gateway", "s3cret");
        run(pki, mosquittoPasswd, "-b", passwords.toString(), "cloud", "cl0ud");
        broker = TestBroker.mosquitto(tmp.newFolder("broker").toPath(), List.of(
                "cafile " + pki.resolve("ca.pem"),
                "certfile " + pki.resolve("server.pem"),
                "keyfile " + pki.resolve("server.key"),
                "allow_anonymous false",
                "password_file " + passwords));
        broker.start();
    }

    @AfterClass
    public static void stopBroker() throws Exception {
        if (broker != null) {
            broker.stop();
        }
    }

    private MqttCloudConnection gateway(String user, String password, boolean withTrustStore) throws Exception {
        Map<String, Object> p = new HashMap<>();
        p.put("broker.url", "ssl://127.0.0.1:" + broker.port());
        p.put("account.name", "acme");
        p.put("client.id", "tls-gw-" + user);
        p.put("username", user);
        p.put("password", password.toCharArray());
        if (withTrustStore) {
            p.put("ssl.truststore.path", trustStore.toString());
            p.put("ssl.truststore.password", "changeit");
        }
        p.put("reconnect.min.delay.ms", 200);
        p.put("reconnect.max.delay.ms", 500);
        return new MqttCloudConnection(ConnectionSettings.from(p), tmp.newFolder().toPath(), "test");
    }

    private static MqttClient cloud(LinkedBlockingQueue<String> topics) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(trustStore.toFile())) {
            ks.load(in, "changeit".toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLSv1.2");
        ctx.init(null, tmf.getTrustManagers(), null);
        MqttClient c = new MqttClient("ssl://127.0.0.1:" + broker.port(), "tls-cloud", new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setSocketFactory(ctx.getSocketFactory());
        o.setUserName("cloud");
        o.setPassword("cl0ud".toCharArray());
        c.connect(o);
        c.subscribe("$EDC/acme/+/MQTT/#", 1, (topic, msg) -> {
            KuraPayload p = KuraPayloadCodec.decode(msg.getPayload());
            topics.add(topic + " " + p.getMetric("display_name"));
        });
        return c;
    }

    @Test
    public void connectsOverTlsWithCredentials() throws Exception {
        LinkedBlockingQueue<String> births = new LinkedBlockingQueue<>();
        MqttClient cloud = cloud(births);
        MqttCloudConnection gw = gateway("gateway", "s3cret", true);
        try {
            gw.start();
            String birth = births.poll(30, TimeUnit.SECONDS);
            assertEquals(KuraTopics.birth("acme", "tls-gw-gateway") + " EdgeTune gateway", birth);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!gw.isConnected() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(gw.isConnected());
        } finally {
            gw.stop(3000);
            cloud.disconnect();
            cloud.close();
        }
    }

    @Test
    public void wrongPasswordOrUntrustedServerNeverConnects() throws Exception {
        MqttCloudConnection badPassword = gateway("gateway", "wrong", true);
        MqttCloudConnection untrusted = gateway("gateway2", "s3cret", false);
        try {
            badPassword.start();
            untrusted.start();
            // several attempts go by (back-off 200..500 ms); none may succeed
            Thread.sleep(3000);
            assertFalse(badPassword.isConnected());
            assertEquals(0, badPassword.status().connects());
            assertFalse(untrusted.isConnected());
            assertEquals(0, untrusted.status().connects());
        } finally {
            badPassword.stop(3000);
            untrusted.stop(3000);
        }
    }
}

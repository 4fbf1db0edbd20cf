package io.edgetune.broker;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.felix.framework.FrameworkFactory;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;

/**
 * The packaged bundle in a real Felix framework with SCR and ConfigAdmin:
 * it resolves with nothing but slf4j and the Kura API subset, starts Moquette
 * on the configured port, stops and restarts cleanly.
 */
public class BrokerBundleIT {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static File artifact(String group, String artifact, String version) {
        if (group.equals("io.edgetune")) {
            // EdgeTune's own bundles come from this build (copied by maven-dependency-plugin)
            File f = Path.of(System.getProperty("edgetune.it.bundles", "target/it-bundles")).resolve(artifact + "-" + version + ".jar").toFile();
            assertTrue("missing " + f + " (run through mvn verify)", f.isFile());
            return f;
        }
        Path repo = Path.of(System.getProperty("maven.repo.local", System.getProperty("user.home") + "/.m2/repository"));
        File f = repo.resolve(group.replace('.', '/')).resolve(artifact).resolve(version)
                .resolve(artifact + "-" + version + ".jar").toFile();
        assertTrue("missing " + f, f.isFile());
        return f;
    }

    private static File builtBundle() throws Exception {
        try (var files = Files.list(Path.of("target"))) {
            return files.filter(p -> p.getFileName().toString().matches("io\\.edgetune\\.broker-.*\\.jar")
                            && !p.getFileName().toString().contains("tests"))
                    .findFirst().orElseThrow(() -> new AssertionError("run after package: no bundle jar in target/"))
                    .toFile();
        }
    }

    @Test
    public void bundleStartsMoquetteInFelix() throws Exception {
        int port = EmbeddedBrokerTest.freePort();
        Map<String, String> props = new HashMap<>();
        props.put(Constants.FRAMEWORK_STORAGE, tmp.newFolder("felix").getAbsolutePath());
        props.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        Framework fw = new FrameworkFactory().newFramework(props);
        fw.start();
        try {
            BundleContext ctx = fw.getBundleContext();
            List<Bundle> bundles = new ArrayList<>();
            for (File f : new File[] {
                    artifact("org.osgi", "org.osgi.util.function", "1.2.0"),
                    artifact("org.osgi", "org.osgi.util.promise", "1.3.0"),
                    artifact("org.osgi", "org.osgi.service.component", "1.5.1"),
                    artifact("org.apache.felix", "org.apache.felix.configadmin", "1.9.26"),
                    artifact("org.apache.felix", "org.apache.felix.scr", "2.2.12"),
                    artifact("org.slf4j", "slf4j-api", "1.7.36"),
                    artifact("org.slf4j", "slf4j-simple", "1.7.36"),
                    artifact("io.edgetune", "io.edgetune.kura.api", "0.1.0-SNAPSHOT")}) {
                bundles.add(ctx.installBundle(f.toURI().toString()));
            }
            for (Bundle b : bundles) {
                if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                    b.start();
                }
            }
            // configure the port before the broker bundle starts
            ServiceReference<?> caRef = null;
            for (int i = 0; i < 100 && caRef == null; i++) {
                // all references: the test's class path may hold another copy of the cm API
                ServiceReference<?>[] refs = ctx.getAllServiceReferences("org.osgi.service.cm.ConfigurationAdmin", null);
                caRef = refs == null ? null : refs[0];
                Thread.sleep(caRef == null ? 100 : 0);
            }
            StringBuilder states = new StringBuilder();
            for (Bundle b : ctx.getBundles()) {
                states.append(b.getSymbolicName()).append('=').append(b.getState()).append(' ');
            }
            assertNotNull("ConfigurationAdmin registered; bundles " + states, caRef);
            Object ca = ctx.getService(caRef);
            Method getConfiguration = ca.getClass().getMethod("getConfiguration", String.class, String.class);
            getConfiguration.setAccessible(true);
            Object config = getConfiguration.invoke(ca, "io.edgetune.broker.Broker", null);
            Dictionary<String, Object> d = new Hashtable<>();
            d.put("port", port);
            d.put("persistence.dir", tmp.newFolder("moquette").getAbsolutePath());
            Method update = config.getClass().getMethod("update", Dictionary.class);
            update.setAccessible(true);
            update.invoke(config, d);

            Bundle broker = ctx.installBundle(builtBundle().toURI().toString());
            broker.start();
            assertEquals(Bundle.ACTIVE, broker.getState());
            // nothing of Moquette or Netty is exported
            assertEquals(null, broker.getHeaders().get(Constants.EXPORT_PACKAGE));

            assertBrokerAnswers(port);
            broker.stop();
            broker.start();
            assertBrokerAnswers(port);
        } finally {
            fw.stop();
            fw.waitForStop(10_000);
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

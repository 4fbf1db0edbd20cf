package io.edgetune.annotator.review.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.edgetune.api.annotate.AnnotatorService;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Predicate;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/**
 * The built bundle in a real Felix framework with SCR and Felix HTTP Jetty 4.2:
 * it resolves, its component registers the page with the HTTP Whiteboard, it
 * follows the annotator service coming and going, and it survives a restart.
 * The service interface comes from the class path (exported by the system
 * bundle) so that the test's service is the same type the bundle sees.
 */
public class ReviewBundleInFelixTest {

    private static Framework felix;
    private static Bundle review;
    private static String base;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeClass
    public static void startFelix() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        base = "http://127.0.0.1:" + port + ReviewComponent.DEFAULT_PREFIX;
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, Paths.get("target", "felix-cache").toAbsolutePath().toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, "io.edgetune.api.annotate;version=1.1.0,"
                + "org.eclipse.kura.configuration;version=1.2.0,org.slf4j;version=1.7.36");
        config.put("org.osgi.service.http.port", Integer.toString(port));
        config.put("org.apache.felix.http.host", "127.0.0.1");
        felix = ServiceLoader.load(FrameworkFactory.class).iterator().next().newFramework(config);
        felix.start();
        BundleContext ctx = felix.getBundleContext();
        List<Bundle> installed = new ArrayList<>();
        Path dir = Paths.get("target", "felix-bundles");
        for (String name : new String[] {"org.osgi.util.function", "org.osgi.util.promise", "org.osgi.service.component",
                "org.apache.felix.configadmin", "org.apache.felix.scr", "org.apache.felix.http.servlet-api", "org.apache.felix.http.jetty", "gson"}) {
            installed.add(ctx.installBundle(dir.resolve(name + ".jar").toUri().toString()));
        }
        // the bundle as bnd built it: target/classes holds its manifest, DS and MetaType XML
        Path classes = Paths.get("target", "classes").toAbsolutePath();
        assertTrue("run through Maven: bnd writes " + classes + "/META-INF/MANIFEST.MF", Files.exists(classes.resolve("META-INF/MANIFEST.MF")));
        review = ctx.installBundle("reference:" + classes.toUri());
        installed.add(review);
        for (Bundle b : installed) {
            b.start();
        }
        configure(ctx);
    }

    /** The review component needs a configuration (configuration-policy require), as a runtime's .cfg file gives it. */
    private static void configure(BundleContext ctx) throws Exception {
        org.osgi.framework.ServiceReference<?> ref = null;
        for (long end = System.currentTimeMillis() + 10_000; ref == null && System.currentTimeMillis() < end; Thread.sleep(50)) {
            org.osgi.framework.ServiceReference<?>[] refs = ctx.getAllServiceReferences("org.osgi.service.cm.ConfigurationAdmin", null);
            ref = refs == null ? null : refs[0];
        }
        assertTrue("ConfigurationAdmin registered", ref != null);
        Object ca = ctx.getService(ref);
        java.lang.reflect.Method get = ca.getClass().getMethod("getConfiguration", String.class, String.class);
        get.setAccessible(true);
        Object config = get.invoke(ca, ReviewComponent.PID, null);
        java.lang.reflect.Method update = config.getClass().getMethod("update", java.util.Dictionary.class);
        update.setAccessible(true);
        update.invoke(config, new java.util.Hashtable<>(Map.of("kura.service.pid", ReviewComponent.PID)));
    }

    @AfterClass
    public static void stopFelix() throws Exception {
        if (felix != null) {
            felix.stop();
            felix.waitForStop(20_000);
        }
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Polls until the answer matches: Jetty, SCR and the whiteboard start asynchronously. */
    private static HttpResponse<String> await(String path, Predicate<HttpResponse<String>> wanted) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        HttpResponse<String> last = null;
        String failure = "";
        while (System.nanoTime() < deadline) {
            try {
                last = get(path);
                if (wanted.test(last)) {
                    return last;
                }
            } catch (IOException notYetListening) {
                failure = notYetListening.toString();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("GET " + path + " never gave the expected answer; last: "
                + (last == null ? failure : last.statusCode() + " " + last.body()));
    }

    @Test
    public void thePageFollowsTheAnnotatorAndSurvivesARestart() throws Exception {
        assertEquals(Bundle.ACTIVE, review.getState());
        HttpResponse<String> r = await("/api/datasets", x -> x.statusCode() == 503);
        assertTrue(r.body(), r.body().contains(ReviewServlet.NOT_RUNNING));
        HttpResponse<String> page = await("/", x -> x.statusCode() == 200);
        assertTrue(page.body().contains("EdgeTune dataset review"));
        assertTrue(page.headers().firstValue("Content-Security-Policy").isPresent());

        DirectoryAnnotatorService service = RealReviewData.freshService(Paths.get("target", "review-felix"));
        ServiceRegistration<AnnotatorService> reg = felix.getBundleContext().registerService(AnnotatorService.class, service, null);
        r = await("/api/datasets", x -> x.statusCode() == 200);
        assertTrue(r.body(), r.body().contains("\"camera\":\"plaza\""));
        reg.unregister();
        await("/api/datasets", x -> x.statusCode() == 503);

        review.stop();
        await("/api/datasets", x -> x.statusCode() == 404);
        reg = felix.getBundleContext().registerService(AnnotatorService.class, service, null);
        review.start();
        r = await("/api/datasets", x -> x.statusCode() == 200);
        assertTrue(r.body(), r.body().contains("\"images\":6"));
        reg.unregister();
    }
}

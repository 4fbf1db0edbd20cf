package io.edgetune.console.internal;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops the OSGi framework in order when the JVM is asked to end (SIGTERM from
 * systemd or Docker, Ctrl-C), so that every bundle deactivates as it does on
 * {@code stop 0}: the MQTT connection sends its disconnect certificate instead of
 * leaving the broker to publish the last will, and files being written are closed.
 *
 * <p>Only the standalone runtimes want this: they set the framework property
 * {@value #ENABLE} to {@code true}. On Kura the framework's lifecycle is Kura's,
 * so without the property the component does nothing.
 *
 * <p>Threading: the hook runs on the JVM's shutdown thread; it stops the system
 * bundle (which returns at once and stops the bundles on a framework thread) and
 * waits for that to finish at most {@link #STOP_WAIT_MS}, so a stuck bundle cannot
 * keep the process alive.
 */
@Component(service = {}, immediate = true)
public class FrameworkShutdownHook {

    /** Framework (or system) property that turns the hook on. */
    static final String ENABLE = "edgetune.shutdown.hook";
    static final long STOP_WAIT_MS = 20_000;
    private static final Logger LOG = LoggerFactory.getLogger(FrameworkShutdownHook.class);

    private Thread hook;

    @Activate
    void activate(BundleContext context) {
        if (!Boolean.parseBoolean(context.getProperty(ENABLE))) {
            return;
        }
        Bundle framework = context.getBundle(Constants.SYSTEM_BUNDLE_ID);
        Thread t = new Thread(() -> stopAndWait(framework, STOP_WAIT_MS), "edgetune-shutdown");
        try {
            Runtime.getRuntime().addShutdownHook(t);
            hook = t;
        } catch (IllegalStateException shuttingDownAlready) {
            // the JVM is ending: nothing left to hook into
        }
    }

    @Deactivate
    void deactivate() {
        Thread t = hook;
        hook = null;
        if (t != null && Thread.currentThread() != t) {
            try {
                Runtime.getRuntime().removeShutdownHook(t);
            } catch (IllegalStateException shutdownInProgress) {
                // the hook itself is stopping the framework; it must not be removed now
            }
        }
    }

    /**
     * Stops the EdgeTune bundles (newest first, transiently so that they start
     * again next time), then the framework, and waits until it has stopped or the
     * time is up; returns whether it stopped.
     *
     * <p>Why not just stop the framework: Felix stops the newest bundle first, and
     * SCR is newer than the EdgeTune bundles, so SCR would deactivate every
     * component in an order of its own; the demo's embedded broker could go before
     * the cloud connection had said MQTT/DC. Stopping EdgeTune's bundles first, in
     * reverse install order, deactivates the pipeline before the connection and the
     * connection before the broker (install order is the runtime's bundle list,
     * sorted by name: io.edgetune.broker precedes io.edgetune.cloud.mqtt).
     */
    static boolean stopAndWait(Bundle framework, long waitMs) {
        long started = System.nanoTime();
        LOG.info("JVM shutdown requested: stopping the OSGi framework");
        Thread stopper = new Thread(() -> stopInOrder(framework), "edgetune-shutdown-stopper");
        stopper.setDaemon(true);
        stopper.start();
        long deadline = started + waitMs * 1_000_000L;
        while (stopper.isAlive() || (framework.getState() & (Bundle.ACTIVE | Bundle.STOPPING | Bundle.STARTING)) != 0) {
            if (System.nanoTime() > deadline) {
                // logging may already be gone; stderr is what systemd and Docker keep
                System.err.println("edgetune: framework still stopping after " + waitMs + " ms; exiting anyway");
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        System.err.println("edgetune: framework stopped in " + (System.nanoTime() - started) / 1_000_000 + " ms");
        return true;
    }

    private static void stopInOrder(Bundle framework) {
        BundleContext context = framework.getBundleContext();
        Bundle[] bundles = context == null ? new Bundle[0] : context.getBundles();
        java.util.Arrays.sort(bundles, java.util.Comparator.comparingLong(Bundle::getBundleId));
        for (int i = bundles.length - 1; i >= 0; i--) {
            Bundle b = bundles[i];
            String name = b.getSymbolicName();
            if (name != null && name.startsWith("io.edgetune.") && b.getState() == Bundle.ACTIVE) {
                try {
                    b.stop(Bundle.STOP_TRANSIENT);
                } catch (BundleException | IllegalStateException | SecurityException e) {
                    System.err.println("edgetune: stopping " + name + " failed: " + e);
                }
            }
        }
        try {
            framework.stop();
        } catch (BundleException | IllegalStateException | SecurityException e) {
            System.err.println("edgetune: could not stop the framework cleanly: " + e);
        }
    }
}

package io.edgetune.djl.internal;

import ai.djl.engine.Engine;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DJL fills its engine registry once, in a static initializer, with
 * ServiceLoader on the thread context class loader. Whoever touches DJL first
 * decides what it finds, so this bundle does it itself at start, with its own
 * class loader as TCCL. That only reads the service files and the engine
 * names; the native library is loaded later, on the first model.
 */
public final class DjlActivator implements BundleActivator {

    private static final Logger LOG = LoggerFactory.getLogger(DjlActivator.class);

    @Override
    public void start(BundleContext context) {
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(DjlActivator.class.getClassLoader());
        try {
            LOG.info("DJL {} engines: {}", Engine.getDjlVersion(), Engine.getAllEngines());
        } finally {
            t.setContextClassLoader(previous);
        }
    }

    @Override
    public void stop(BundleContext context) {
        // DJL keeps no threads; a loaded native library stays with this class loader until it is collected
    }
}

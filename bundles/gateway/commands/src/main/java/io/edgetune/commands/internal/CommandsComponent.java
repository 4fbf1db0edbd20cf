package io.edgetune.commands.internal;

import io.edgetune.api.detect.DetectorService;
import io.edgetune.api.frame.CameraService;
import io.edgetune.api.frame.FrameListener;
import io.edgetune.api.model.ModelRegistry;
import io.edgetune.api.motion.MotionService;
import io.edgetune.api.upload.SamplingService;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import org.eclipse.kura.KuraException;
import org.eclipse.kura.cloudconnection.request.RequestHandlerRegistry;
import org.eclipse.kura.configuration.ConfigurableComponent;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the EDGETUNE-V1 request handler with every cloud connection
 * (every RequestHandlerRegistry, as on Kura) and gives it the pipeline
 * services, all optional and dynamic.
 */
@Designate(ocd = CommandsComponent.Config.class)
@Component(name = CommandsComponent.PID, configurationPid = CommandsComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true, service = ConfigurableComponent.class)
public class CommandsComponent implements ConfigurableComponent, EdgeTuneRequestHandler.Services, SnapshotSource {

    public static final String PID = "io.edgetune.commands.Commands";
    private static final Logger LOG = LoggerFactory.getLogger(CommandsComponent.class);

    @ObjectClassDefinition(id = PID, name = "EdgeTune remote commands",
            description = "The EDGETUNE-V1 request handler: status, models, camera snapshots and resets, samples.")
    public @interface Config {
        @AttributeDefinition(name = "Snapshot timeout (ms)", description = "How long GET cameras/{id}/snapshot waits for a frame.", min = "100")
        int snapshot_timeout_ms() default 5000;

        @AttributeDefinition(name = "Snapshot JPEG quality (%)", min = "10", max = "100")
        int snapshot_jpeg_quality() default 85;

        @AttributeDefinition(name = "Upload directory", description = "Where partial model uploads (models/upload/{id}) are kept across "
                + "restarts; empty means uploads/partial in EdgeTune's data directory (on Kura ${kura.home}/data/edgetune).", required = false)
        String upload_dir() default "";

        @AttributeDefinition(name = "Largest upload chunk (bytes)", min = "1024", max = "16777216")
        int upload_chunk_max_bytes() default DeliverySettings.DEFAULT_CHUNK_MAX_BYTES;

        @AttributeDefinition(name = "Largest model package (bytes)", description = "For uploads, downloads and models/install.", min = "1")
        long model_package_max_bytes() default 128L << 20;

        @AttributeDefinition(name = "Partial uploads kept at once", min = "1", max = "100")
        int upload_max_count() default 4;

        @AttributeDefinition(name = "Disk reserved for partial uploads (bytes)", description = "Sum of the declared sizes of all uploads in progress.",
                min = "1")
        long upload_max_total_bytes() default 256L << 20;

        @AttributeDefinition(name = "Partial upload expiry (minutes)", description = "An upload untouched this long is deleted.", min = "1")
        int upload_expiry_minutes() default 1440;

        @AttributeDefinition(name = "Download timeout (ms)", description = "models/install with a url: connect to last byte.", min = "100")
        int download_timeout_ms() default 120_000;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile ModelRegistry modelRegistry;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile MotionService motionService;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile DetectorService detectorService;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile SamplingService samplingService;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<CameraService> cameras;

    private final Set<RequestHandlerRegistry> registries = new CopyOnWriteArraySet<>();
    private volatile EdgeTuneRequestHandler handler;
    private volatile BundleContext context;

    @Activate
    void activate(BundleContext context, Config config) {
        this.context = context;
        EdgeTuneRequestHandler h = new EdgeTuneRequestHandler(this, config.snapshot_timeout_ms(),
                Math.max(10, Math.min(100, config.snapshot_jpeg_quality())) / 100f, delivery(config));
        synchronized (registries) {
            handler = h;
            registries.forEach(r -> register(r, h));
        }
    }

    static DeliverySettings delivery(Config c) {
        String dir = c.upload_dir() == null ? "" : c.upload_dir().trim();
        try {
            return new DeliverySettings(dir.isEmpty() ? null : Path.of(dir), c.upload_chunk_max_bytes(), c.model_package_max_bytes(),
                    c.upload_max_count(), c.upload_max_total_bytes(), c.upload_expiry_minutes() * 60_000L, c.download_timeout_ms());
        } catch (IllegalArgumentException e) {
            LOG.warn("{}; using the default model delivery limits", e.getMessage());
            DeliverySettings d = DeliverySettings.defaults();
            return dir.isEmpty() ? d : d.withUploadDir(Path.of(dir));
        }
    }

    @Deactivate
    void deactivate() {
        synchronized (registries) {
            registries.forEach(this::unregister);
            if (handler != null) {
                handler.close(); // background model installs end with the component
            }
            handler = null;
        }
        context = null;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addRequestHandlerRegistry(RequestHandlerRegistry registry) {
        synchronized (registries) {
            registries.add(registry);
            EdgeTuneRequestHandler h = handler;
            if (h != null) {
                register(registry, h);
            }
        }
    }

    void removeRequestHandlerRegistry(RequestHandlerRegistry registry) {
        synchronized (registries) {
            if (registries.remove(registry) && handler != null) {
                unregister(registry);
            }
        }
    }

    private static void register(RequestHandlerRegistry r, EdgeTuneRequestHandler h) {
        try {
            r.registerRequestHandler(EdgeTuneRequestHandler.APP_ID, h);
        } catch (KuraException | RuntimeException e) {
            LOG.warn("Cannot register {} with {}: {}", EdgeTuneRequestHandler.APP_ID, r, e.getMessage());
        }
    }

    private void unregister(RequestHandlerRegistry r) {
        try {
            r.unregister(EdgeTuneRequestHandler.APP_ID);
        } catch (KuraException | RuntimeException e) {
            LOG.debug("Cannot unregister {} from {}: {}", EdgeTuneRequestHandler.APP_ID, r, e.getMessage());
        }
    }

    @Override
    public Snapshot next(String cameraId, long timeoutMillis) throws InterruptedException {
        BundleContext ctx = context;
        if (ctx == null) {
            return null;
        }
        FrameGrab grab = new FrameGrab(cameraId);
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(FrameListener.CAMERA_ID, cameraId);
        ServiceRegistration<FrameListener> reg = ctx.registerService(FrameListener.class, grab, props);
        try {
            return grab.await(timeoutMillis);
        } finally {
            try {
                reg.unregister();
            } catch (IllegalStateException alreadyGone) {
                // bundle stopping
            }
        }
    }

    @Override
    public ModelRegistry modelRegistry() {
        return modelRegistry;
    }

    @Override
    public MotionService motionService() {
        return motionService;
    }

    @Override
    public DetectorService detectorService() {
        return detectorService;
    }

    @Override
    public Collection<CameraService> cameras() {
        List<CameraService> c = cameras;
        return c == null ? List.of() : c;
    }

    @Override
    public SamplingService samplingService() {
        return samplingService;
    }

    @Override
    public SnapshotSource snapshots() {
        return this;
    }

    @Override
    public Path workDirectory() {
        // EdgeTune's data directory (on Kura ${kura.home}/data/edgetune), not bundle data: Kura starts with
        // osgi.clean=true, which would throw partial uploads away at every restart
        BundleContext ctx = context;
        return io.edgetune.api.data.DataDirectories.resolve(ctx == null ? System::getProperty : ctx::getProperty,
                io.edgetune.api.data.DataDirectories.UPLOADS);
    }
}

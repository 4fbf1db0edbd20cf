package io.edgetune.console.internal;

import io.edgetune.api.detect.DetectionListener;
import io.edgetune.api.detect.Detections;
import io.edgetune.api.detect.DetectorService;
import io.edgetune.api.detect.DetectorStatus;
import io.edgetune.api.frame.CameraService;
import io.edgetune.api.frame.CameraStatus;
import io.edgetune.api.frame.Frame;
import io.edgetune.api.motion.MotionService;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.kura.configuration.ConfigurableComponent;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
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
 * Logs a status line per camera every few seconds and offers the same as Gogo
 * commands, so an operator sees detections flowing without an MQTT client.
 */
@Designate(ocd = ConsoleComponent.Config.class)
@Component(name = ConsoleComponent.PID, immediate = true, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {DetectionListener.class, ConfigurableComponent.class, ConsoleComponent.class},
        property = {"osgi.command.scope=edgetune", "osgi.command.function=status", "osgi.command.function=detections"})
public class ConsoleComponent implements DetectionListener, ConfigurableComponent {

    static final String PID = "io.edgetune.console.Console";
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleComponent.class);

    @ObjectClassDefinition(id = PID, name = "EdgeTune console",
            description = "Status lines in the log and Gogo commands edgetune:status and edgetune:detections.")
    public @interface Config {
        @AttributeDefinition(name = "status.interval.seconds", description = "Seconds between status lines in the log; 0 turns them off.", min = "0")
        int status_interval_seconds() default 10;

        @AttributeDefinition(name = "log.detections", description = "Also log every frame's detections (one line each).")
        boolean log_detections() default false;
    }

    private final StatusTable table = new StatusTable();
    private final List<CameraService> cameras = new CopyOnWriteArrayList<>();

    // optional and dynamic: the status line shows what is there and follows services as they come and go
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile MotionService motion;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile DetectorService detector;
    private volatile boolean logDetections;
    private ScheduledExecutorService timer;
    private ScheduledFuture<?> task;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addCamera(CameraService camera) {
        cameras.add(camera);
    }

    void removeCamera(CameraService camera) {
        cameras.remove(camera);
    }

    /**
     * The standalone MQTT connection's counters (outbox depth and age,
     * delivered, dropped). Typed Object so that this class loads on Kura,
     * where the package is absent; {@link ConnectionLine} does the rest.
     */
    @Reference(service = io.edgetune.cloud.mqtt.status.CloudConnectionStatus.class, cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile Object connection;

    @Activate
    void activate(Config config, org.osgi.framework.BundleContext context) {
        String port = context.getProperty("org.osgi.service.http.port");
        if (port != null && context.getProperty("felix.fileinstall.dir") != null) {
            // standalone runtime: tell the user where to look
            String host = context.getProperty("org.apache.felix.http.host");
            LOG.info("EdgeTune is up. Web console (configure components): http://{}:{}/system/console/configMgr (admin/admin); "
                    + "configuration files: {}; Gogo: edgetune:status", host == null ? "localhost" : host, port,
                    context.getProperty("felix.fileinstall.dir"));
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "edgetune-console");
            t.setDaemon(true);
            return t;
        });
        modified(config);
    }

    @Modified
    synchronized void modified(Config config) {
        logDetections = config.log_detections();
        if (task != null) {
            task.cancel(false);
            task = null;
        }
        int every = config.status_interval_seconds();
        if (every > 0) {
            task = timer.scheduleAtFixedRate(this::logStatus, every, every, TimeUnit.SECONDS);
        }
    }

    @Deactivate
    void deactivate() {
        timer.shutdownNow();
    }

    @Override
    public void onDetections(Detections d, Frame frame) {
        table.record(d);
        if (logDetections && !d.detections().isEmpty()) {
            LOG.info("{} #{}: {}", d.cameraId(), d.frameSequence(), d.detections());
        }
    }

    private void logStatus() {
        try {
            for (String line : statusLines()) {
                LOG.info(line);
            }
        } catch (RuntimeException e) {
            LOG.warn("status line failed: {}", e.toString());
        }
    }

    List<String> statusLines() {
        List<CameraStatus> statuses = new ArrayList<>();
        for (CameraService c : cameras) {
            statuses.add(c.status());
        }
        MotionService m = motion;
        List<String> lines = table.lines(statuses, id -> m == null ? -1 : m.skipRatio(id));
        DetectorService d = detector;
        if (d != null) {
            DetectorStatus s = d.status();
            boolean build = s.build() != null && !s.build().isEmpty();
            String why = build ? s.buildReason() : s.note();
            lines.add(String.format(Locale.ROOT, "detector: %s on %s%s, model %s, %d inferences, %.1f ms mean, queue %d, %d dropped%s",
                    s.backend(), s.accelerator(), build ? ", build " + s.build() : "", s.modelVersion(), s.inferences(),
                    s.meanInferenceMillis(), s.queueDepth(), s.dropped(), why == null || why.isEmpty() ? "" : " (" + why + ")"));
        } else {
            lines.add("detector: not running");
        }
        Object c = connection;
        if (c != null) {
            lines.add(ConnectionLine.of(c));
        }
        return lines;
    }

    /** Gogo: edgetune:status */
    public String status() {
        return String.join(System.lineSeparator(), statusLines());
    }

    /** Gogo: edgetune:detections CAMERA - the last frame's detections of a camera. */
    public String detections(String cameraId) {
        StatusTable.CameraCounts c = table.counts(cameraId);
        if (c == null || c.last == null) {
            return "no detections yet from camera " + cameraId;
        }
        Detections d = c.last;
        StringBuilder b = new StringBuilder();
        b.append(cameraId).append(" frame #").append(d.frameSequence()).append(" (").append(d.mode()).append(", ")
                .append(d.regions().size()).append(" regions, model ").append(d.modelVersion()).append(')');
        d.detections().forEach(x -> b.append(System.lineSeparator()).append(String.format(Locale.ROOT,
                "  %-12s %.2f at [%.0f,%.0f %.0fx%.0f]", x.label(), x.score(), x.x(), x.y(), x.width(), x.height())));
        return b.toString();
    }
}

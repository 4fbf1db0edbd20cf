package io.edgetune.uploader.internal;

import io.edgetune.api.detect.DetectionListener;
import io.edgetune.api.detect.Detections;
import io.edgetune.api.detect.DetectorService;
import io.edgetune.api.config.ConfigValues;
import io.edgetune.api.frame.CameraService;
import io.edgetune.api.frame.CameraStatus;
import io.edgetune.api.frame.Frame;
import io.edgetune.api.frame.FrameListener;
import io.edgetune.api.motion.MotionListener;
import io.edgetune.api.motion.MotionResult;
import io.edgetune.api.motion.MotionService;
import io.edgetune.api.track.TrackEvent;
import io.edgetune.api.track.TrackListener;
import io.edgetune.api.track.TrackedFrame;
import io.edgetune.api.track.TrackerService;
import io.edgetune.api.upload.SamplingService;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.kura.KuraException;
import org.eclipse.kura.cloudconnection.message.KuraMessage;
import org.eclipse.kura.message.KuraPayload;
import org.eclipse.kura.cloudconnection.publisher.CloudPublisher;
import org.eclipse.kura.configuration.ConfigurableComponent;
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
 * Detections, on-demand samples and status to the cloud. The publishers are
 * chosen as on Kura: {@code CloudPublisher.target}, {@code SamplePublisher.target}
 * and {@code StatusPublisher.target} hold filters such as
 * {@code (kura.service.pid=edgetune-detections)}.
 */
@Designate(ocd = UploaderComponent.Config.class)
@Component(name = UploaderComponent.PID, configurationPid = UploaderComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
        service = {DetectionListener.class, FrameListener.class, MotionListener.class, SamplingService.class,
                TrackListener.class, ConfigurableComponent.class})
public class UploaderComponent implements DetectionListener, FrameListener, MotionListener, SamplingService,
        TrackListener, ConfigurableComponent {

    public static final String PID = "io.edgetune.uploader.Uploader";
    private static final Logger LOG = LoggerFactory.getLogger(UploaderComponent.class);

    @ObjectClassDefinition(id = PID, name = "EdgeTune uploader",
            description = "Publishes detections (rate-limited or aggregated, with heartbeats), policy-sampled frames "
                    + "for the annotator and a periodic status message.")
    public @interface Config {
        @AttributeDefinition(name = "CloudPublisher target", description = "Publisher for detections, e.g. (kura.service.pid=edgetune-detections).")
        String CloudPublisher_target() default "(kura.service.pid=edgetune-detections)";

        @AttributeDefinition(name = "StatusPublisher target", description = "Publisher for the periodic status message.")
        String StatusPublisher_target() default "(kura.service.pid=edgetune-status)";

        @AttributeDefinition(name = "SamplePublisher target", description = "Publisher for sampled frames (JPEG), e.g. (kura.service.pid=edgetune-samples).")
        String SamplePublisher_target() default "(kura.service.pid=edgetune-samples)";

        @AttributeDefinition(name = "EventPublisher target", description = "Publisher for the tracker's events, e.g. (kura.service.pid=edgetune-events).")
        String EventPublisher_target() default "(kura.service.pid=edgetune-events)";

        @AttributeDefinition(name = "Event queue size", description = "Tracker events waiting to be published; more are dropped and counted.", min = "1")
        int event_queue_size() default 256;

        @AttributeDefinition(name = "Sample JPEG quality (%)", min = "10", max = "100")
        int sample_jpeg_quality() default 90;

        @AttributeDefinition(name = "Only frames with detections")
        boolean only_with_detections() default true;

        @AttributeDefinition(name = "Minimum score", description = "Boxes below this score are not uploaded (0..1).", min = "0", max = "1")
        float min_score() default 0f;

        @AttributeDefinition(name = "Messages per second per camera", min = "0.01")
        double max_rate() default 2.0;

        @AttributeDefinition(name = "Burst", min = "1")
        int burst() default 5;

        @AttributeDefinition(name = "Queue size", min = "1")
        int queue_size() default 64;

        @AttributeDefinition(name = "Status interval (s)", description = "0 disables the status message.", min = "0")
        int status_interval_s() default 60;

        @AttributeDefinition(name = "Heartbeat after (s)", description = "A camera without a detections message for this long sends a heartbeat; 0 disables.", min = "0")
        int heartbeat_s() default 300;

        @AttributeDefinition(name = "Aggregation window (s)", description = "When above 0: one message per camera per window with counts per label instead of one per frame.", min = "0")
        int aggregate_s() default 0;

        @AttributeDefinition(name = "Sample interval (s)", description = "Sample a camera at least this often; 0 disables.", min = "0")
        int sample_interval_s() default 600;

        @AttributeDefinition(name = "Novelty threshold", description = "Sample when the Hellinger distance (colour and gradient histograms, mean) to each of the camera's last samples exceeds this; 0 disables.", min = "0", max = "1")
        double sample_novelty_threshold() default 0.2;

        @AttributeDefinition(name = "Novelty history", description = "How many recent samples of a camera a frame is compared with.", min = "1")
        int sample_novelty_history() default 8;

        @AttributeDefinition(name = "Uncertain score from", description = "A detection scoring between this and 'uncertain score to' triggers a sample.", min = "0", max = "1")
        float sample_uncertain_low() default 0.3f;

        @AttributeDefinition(name = "Uncertain score to", description = "Equal to or below 'from' disables the policy.", min = "0", max = "1")
        float sample_uncertain_high() default 0.6f;

        @AttributeDefinition(name = "Rare class share (%)", description = "A class below this share of a camera's detections so far triggers a sample; 0 disables.", min = "0", max = "100")
        double sample_rare_percent() default 2.0;

        @AttributeDefinition(name = "Rare class warm-up", description = "The share rule applies after this many detections on the camera.", min = "0")
        int sample_rare_min_detections() default 200;

        @AttributeDefinition(name = "Rare labels", required = false, description = "Comma-separated labels that always trigger a sample.")
        String sample_rare_labels() default "";

        @AttributeDefinition(name = "Motion after static (s)", description = "The start of a motion episode after at least this long static triggers a sample; -1 disables.", min = "-1")
        int sample_motion_static_s() default 60;

        @AttributeDefinition(name = "Sample new tracks", description = "A new object confirmed by the tracker (START) triggers a sample of the camera's next detections (reason 'track').")
        boolean sample_tracks() default false;

        @AttributeDefinition(name = "Samples per camera per hour", description = "Quota; 0 = unlimited.", min = "0")
        int sample_quota_per_hour() default 60;

        @AttributeDefinition(name = "Sample budget (bytes/hour)", description = "Gateway-wide bandwidth for samples; 0 = unlimited.", min = "0")
        long sample_budget_bytes_per_hour() default 20_000_000L;

        @AttributeDefinition(name = "Sample budget burst (bytes)", description = "Bytes the budget may spend at once.", min = "1")
        long sample_budget_burst_bytes() default 2_000_000L;

        @AttributeDefinition(name = "Sample queue size", description = "Frames waiting for the JPEG encoder; more are dropped and counted.", min = "1")
        int sample_queue_size() default 2;
    }

    @Reference(name = "CloudPublisher", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile CloudPublisher detectionsPublisher;

    @Reference(name = "StatusPublisher", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile CloudPublisher statusPublisher;

    @Reference(name = "SamplePublisher", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile CloudPublisher samplePublisher;

    @Reference(name = "EventPublisher", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile CloudPublisher eventPublisher;

    /** When a tracker runs, detection messages wait for its view of the frame to carry track ids. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile TrackerService tracker;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<CameraService> cameras;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile DetectorService detector;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile MotionService motion;

    /** The standalone MQTT connection's counters; Object so that this class loads on Kura, where the package is absent. */
    @Reference(service = io.edgetune.cloud.mqtt.status.CloudConnectionStatus.class, cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile Object connection;

    private volatile Uploader uploader;
    private volatile SampleTaker sampler;
    private volatile SampleWorker sampleWorker;
    private volatile PolicySampler policySampler;
    private volatile EventWorker events;
    private volatile boolean sampleTracks;
    private final TrackPairing pairing = new TrackPairing();
    private final RecentTracks recentTracks = new RecentTracks();
    private ScheduledExecutorService timer;

    @Activate
    void activate(Config config) {
        // every setting is checked before the first thread starts: a rejected configuration starts nothing
        Checked checked = check(config);
        Uploader u = new Uploader(checked.upload(), () -> detectionsPublisher);
        u.setKnownCameras(this::cameraIds);
        u.start();
        EventWorker ew = new EventWorker(config.event_queue_size(), () -> eventPublisher);
        ew.start();
        events = ew;
        PolicySampler.Settings ps = checked.sampling();
        if (ps.anyPolicy() || config.sample_tracks()) {
            SampleWorker w = new SampleWorker(config.sample_queue_size(), () -> samplePublisher, config.sample_jpeg_quality(),
                    recentTracks);
            w.start();
            sampleWorker = w;
            policySampler = new PolicySampler(ps, w, System::currentTimeMillis);
            sampleTracks = config.sample_tracks();
        }
        uploader = u;
        SampleTaker st = new SampleTaker(this::cameraIds, () -> samplePublisher, config.sample_jpeg_quality() / 100f);
        st.start();
        sampler = st;
        if (config.status_interval_s() > 0) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "edgetune-uploader-status");
                t.setDaemon(true);
                return t;
            });
            timer.scheduleAtFixedRate(this::publishStatus, config.status_interval_s(), config.status_interval_s(), TimeUnit.SECONDS);
        }
    }

    /** The settings of a configuration that passed every check. */
    record Checked(Uploader.Settings upload, PolicySampler.Settings sampling) {
    }

    /** Checks every value against the range its attribute declares; the message names the property. */
    static Checked check(Config c) {
        ConfigValues.range("sample.jpeg.quality", c.sample_jpeg_quality(), 10, 100);
        ConfigValues.range("min.score", c.min_score(), 0, 1);
        ConfigValues.atLeast("max.rate", c.max_rate(), 0.01);
        ConfigValues.atLeast("burst", c.burst(), 1);
        ConfigValues.atLeast("queue.size", c.queue_size(), 1);
        ConfigValues.atLeast("status.interval.s", c.status_interval_s(), 0);
        ConfigValues.atLeast("heartbeat.s", c.heartbeat_s(), 0);
        ConfigValues.atLeast("aggregate.s", c.aggregate_s(), 0);
        ConfigValues.atLeast("sample.queue.size", c.sample_queue_size(), 1);
        ConfigValues.atLeast("event.queue.size", c.event_queue_size(), 1);
        Uploader.Settings upload = new Uploader.Settings(c.only_with_detections(), c.min_score(), c.max_rate(),
                c.burst(), c.queue_size(), c.heartbeat_s(), c.aggregate_s());
        return new Checked(upload, samplingSettings(c));
    }

    static PolicySampler.Settings samplingSettings(Config c) {
        ConfigValues.atLeast("sample.interval.s", c.sample_interval_s(), 0);
        ConfigValues.range("sample.novelty.threshold", c.sample_novelty_threshold(), 0, 1);
        ConfigValues.atLeast("sample.novelty.history", c.sample_novelty_history(), 1);
        ConfigValues.range("sample.uncertain.low", c.sample_uncertain_low(), 0, 1);
        ConfigValues.range("sample.uncertain.high", c.sample_uncertain_high(), 0, 1);
        ConfigValues.range("sample.rare.percent", c.sample_rare_percent(), 0, 100);
        ConfigValues.atLeast("sample.rare.min.detections", c.sample_rare_min_detections(), 0);
        ConfigValues.atLeast("sample.motion.static.s", c.sample_motion_static_s(), -1);
        ConfigValues.atLeast("sample.quota.per.hour", c.sample_quota_per_hour(), 0);
        ConfigValues.atLeast("sample.budget.bytes.per.hour", c.sample_budget_bytes_per_hour(), 0L);
        ConfigValues.atLeast("sample.budget.burst.bytes", c.sample_budget_burst_bytes(), 1L);
        Set<String> rare = Set.copyOf(ConfigValues.list(c.sample_rare_labels()));
        return new PolicySampler.Settings(c.sample_interval_s(), c.sample_novelty_threshold(), c.sample_novelty_history(),
                c.sample_uncertain_low(), c.sample_uncertain_high(), c.sample_rare_percent(), c.sample_rare_min_detections(),
                rare, c.sample_motion_static_s(), c.sample_quota_per_hour(), c.sample_budget_bytes_per_hour(),
                c.sample_budget_burst_bytes(), 100_000L);
    }

    @Deactivate
    void deactivate() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
        Uploader u = uploader;
        uploader = null;
        if (u != null) {
            u.stop(2000);
        }
        EventWorker ew = events;
        events = null;
        if (ew != null) {
            ew.stop(2000);
        }
        SampleTaker st = sampler;
        sampler = null;
        if (st != null) {
            st.stop(2000);
        }
        policySampler = null;
        SampleWorker w = sampleWorker;
        sampleWorker = null;
        if (w != null) {
            w.stop(2000);
        }
    }

    private Collection<String> cameraIds() {
        List<CameraService> cams = cameras;
        List<String> ids = new ArrayList<>();
        if (cams != null) {
            for (CameraService c : cams) {
                ids.add(c.cameraId());
            }
        }
        return ids;
    }

    @Override
    public void onFrame(Frame frame) {
        SampleTaker st = sampler;
        if (st != null) {
            st.onFrame(frame);
        }
    }

    @Override
    public int sampleNow(String cameraId, String reason) {
        SampleTaker st = sampler;
        if (st == null) {
            throw new IllegalStateException("uploader is not active");
        }
        return st.sampleNow(cameraId, reason);
    }

    @Override
    public void onDetections(Detections detections, Frame frame) {
        Uploader u = uploader;
        if (u != null) {
            if (tracker == null) {
                u.offer(detections);
            } else {
                pairing.detections(detections, u::offer);
            }
        }
        PolicySampler ps = policySampler;
        if (ps != null && frame != null) {
            try {
                ps.onDetections(detections, frame);
            } catch (RuntimeException e) {
                LOG.warn("Sampling policies failed on {} #{}: {}", detections.cameraId(), detections.frameSequence(), e.getMessage());
            }
        }
    }

    @Override
    public void onTracks(TrackedFrame tracked, Frame frame) {
        recentTracks.put(tracked);
        Uploader u = uploader;
        if (u != null) {
            pairing.tracked(tracked, u::offer);
        }
    }

    @Override
    public void onEvent(TrackEvent event) {
        EventWorker ew = events;
        if (ew != null) {
            ew.offer(event);
        }
        PolicySampler ps = policySampler;
        if (sampleTracks && ps != null && event.type() == TrackEvent.Type.START) {
            ps.onNewTrack(event.cameraId());
        }
    }

    @Override
    public void onMotion(MotionResult result) {
        PolicySampler ps = policySampler;
        if (ps != null) {
            ps.onMotion(result);
        }
    }

    private void publishStatus() {
        Uploader u = uploader;
        CloudPublisher p = statusPublisher;
        if (u == null || p == null) {
            return;
        }
        try {
            List<CameraStatus> statuses = new ArrayList<>();
            List<CameraService> cams = cameras;
            if (cams != null) {
                for (CameraService c : cams) {
                    statuses.add(c.status());
                }
            }
            DetectorService d = detector;
            MotionService m = motion;
            KuraPayload status = u.statusPayload(statuses, d == null ? null : d.status(),
                    m == null ? null : id -> m.skipRatio(id), policySampler, sampleWorker, sampler);
            EventWorker ew = events;
            if (ew != null) {
                status.addMetric("uploads.events.published", ew.published());
                status.addMetric("uploads.events.dropped", ew.dropped());
                status.addMetric("uploads.events.failed", ew.failed());
            }
            Object c = connection;
            if (c != null) {
                ConnectionMetrics.add(c, status);
            }
            p.publish(new KuraMessage(status, Map.of()));
        } catch (KuraException | RuntimeException e) {
            LOG.warn("Status message not published: {}", e.getMessage());
        }
    }
}

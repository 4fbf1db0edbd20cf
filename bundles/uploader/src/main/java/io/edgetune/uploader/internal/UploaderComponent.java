package io.edgetune.uploader.internal;

import io.edgetune.api.detect.DetectionListener;
import io.edgetune.api.detect.Detections;
import io.edgetune.api.detect.DetectorService;
import io.edgetune.api.frame.CameraService;
import io.edgetune.api.frame.CameraStatus;
import io.edgetune.api.frame.Frame;
import io.edgetune.api.frame.FrameListener;
import io.edgetune.api.upload.SamplingService;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.kura.KuraException;
import org.eclipse.kura.cloudconnection.message.KuraMessage;
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
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true,
        service = {DetectionListener.class, FrameListener.class, SamplingService.class, ConfigurableComponent.class})
public class UploaderComponent implements DetectionListener, FrameListener, SamplingService, ConfigurableComponent {

    public static final String PID = "io.edgetune.uploader";
    private static final Logger LOG = LoggerFactory.getLogger(UploaderComponent.class);

    @ObjectClassDefinition(id = PID, name = "EdgeTune uploader",
            description = "Publishes detections (rate-limited) and a periodic status message.")
    public @interface Config {
        @AttributeDefinition(name = "CloudPublisher target", description = "Publisher for detections, e.g. (kura.service.pid=edgetune-detections).")
        String CloudPublisher_target() default "(kura.service.pid=edgetune-detections)";

        @AttributeDefinition(name = "StatusPublisher target", description = "Publisher for the periodic status message.")
        String StatusPublisher_target() default "(kura.service.pid=edgetune-status)";

        @AttributeDefinition(name = "SamplePublisher target", description = "Publisher for sampled frames (JPEG), e.g. (kura.service.pid=edgetune-samples).")
        String SamplePublisher_target() default "(kura.service.pid=edgetune-samples)";

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

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<CameraService> cameras;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile DetectorService detector;

    private volatile Uploader uploader;
    private volatile SampleTaker sampler;
    private ScheduledExecutorService timer;

    @Activate
    void activate(Config config) {
        Uploader u = new Uploader(new Uploader.Settings(config.only_with_detections(), config.min_score(), config.max_rate(),
                config.burst(), config.queue_size()), () -> detectionsPublisher);
        u.start();
        uploader = u;
        SampleTaker st = new SampleTaker(this::cameraIds, () -> samplePublisher,
                Math.max(10, Math.min(100, config.sample_jpeg_quality())) / 100f);
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
        SampleTaker st = sampler;
        sampler = null;
        if (st != null) {
            st.stop(2000);
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
            u.offer(detections);
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
            p.publish(new KuraMessage(u.statusPayload(statuses, d == null ? null : d.status()), Map.of()));
        } catch (KuraException | RuntimeException e) {
            LOG.warn("Status message not published: {}", e.getMessage());
        }
    }
}

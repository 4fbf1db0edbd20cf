package io.edgetune.annotator.internal;

import io.edgetune.api.detect.DetectorService;
import io.edgetune.api.model.ModelDescriptor;
import io.edgetune.api.model.ModelRegistry;
import java.nio.file.Paths;
import org.eclipse.kura.cloudconnection.message.KuraMessage;
import org.eclipse.kura.cloudconnection.subscriber.CloudSubscriber;
import org.eclipse.kura.cloudconnection.subscriber.listener.CloudSubscriberListener;
import org.eclipse.kura.configuration.ConfigurableComponent;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cloud annotator: listens to gateways' sample messages through a
 * CloudSubscriber, labels each with the {@link Teacher} on the shared
 * DetectorService (configure that one in REGIONS mode with a low threshold,
 * e.g. 0.3) and files it into the camera's COCO dataset. A configuration
 * change re-creates the component (no @Modified): the worker is restarted.
 */
@Designate(ocd = AnnotatorComponent.Config.class)
@Component(name = AnnotatorComponent.PID, configurationPid = AnnotatorComponent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = ConfigurableComponent.class)
public class AnnotatorComponent implements ConfigurableComponent, CloudSubscriberListener {

    public static final String PID = "io.edgetune.annotator.Annotator";
    private static final Logger LOG = LoggerFactory.getLogger(AnnotatorComponent.class);

    @ObjectClassDefinition(id = PID, name = "EdgeTune annotator",
            description = "Labels sampled gateway frames with the teacher pass and keeps a COCO dataset per camera.")
    public @interface Config {
        @AttributeDefinition(name = "CloudSubscriber.target", description = "Subscriber delivering the gateways' sample messages.")
        String CloudSubscriber_target() default "(kura.service.pid=edgetune-samples-in)";

        @AttributeDefinition(name = "Dataset root", description = "Datasets go to {root}/{gateway}/{camera}.")
        String dataset_root() default "annotator-data";

        @AttributeDefinition(name = "Tile size", description = "Side of the native-resolution tiles (the model's input side).", min = "16")
        int tile_size() default 300;

        @AttributeDefinition(name = "Tile overlap", description = "Fraction shared by neighbouring tiles.", min = "0", max = "0.9")
        double tile_overlap() default 0.5;

        @AttributeDefinition(name = "Small tile size", description = "Extra tiles upscaled to the input for small objects; 0 = off.", min = "0")
        int small_tile_size() default 0;

        @AttributeDefinition(name = "Final threshold", description = "Score a fused box needs to become a label.", min = "0", max = "1")
        float final_threshold() default 0.5f;

        @AttributeDefinition(name = "Split block (minutes)", description = "Length of the time blocks of the train/validation split.", min = "1")
        int split_block_minutes() default 10;

        @AttributeDefinition(name = "Validation every N blocks", min = "2")
        int split_validation_every() default 5;

        @AttributeDefinition(name = "Split guard (seconds)", description = "No training sample within this time of a validation sample.", min = "0")
        int split_guard_seconds() default 30;

        @AttributeDefinition(name = "Maximum frame width", min = "16")
        int max_width() default 1920;

        @AttributeDefinition(name = "Maximum frame height", min = "16")
        int max_height() default 1080;

        @AttributeDefinition(name = "Queue size", description = "Samples waiting for the teacher; more are dropped and counted.", min = "1")
        int queue_size() default 16;
    }

    @Reference
    private DetectorService detector;

    @Reference
    private ModelRegistry models;

    @Reference(name = "CloudSubscriber")
    private CloudSubscriber subscriber;

    private volatile SampleIngest ingest;

    @Activate
    void activate(Config c) {
        ModelDescriptor active = models.active().orElseThrow(() -> new IllegalStateException(
                "no active model: the annotator needs the label map of the model the detector runs"));
        TeacherSettings teacher = new TeacherSettings(c.tile_size(), c.tile_overlap(), c.small_tile_size(), 0.34,
                0.55f, 2, c.final_threshold());
        SplitRule rule = new SplitRule(c.split_block_minutes() * 60_000L, c.split_validation_every(), c.split_guard_seconds() * 1000L);
        SampleIngest started = new SampleIngest(new Teacher(detector, teacher), Paths.get(c.dataset_root()), active.labels(), rule,
                c.max_width(), c.max_height(), c.queue_size());
        ingest = started;
        try {
            subscriber.registerCloudSubscriberListener(this);
        } catch (RuntimeException e) {
            // no worker thread may outlive a failed activation
            ingest = null;
            started.close();
            throw e;
        }
        LOG.info("annotator labelling samples into {} with model {} labels", c.dataset_root(), active.version());
    }

    @Deactivate
    void deactivate() {
        subscriber.unregisterCloudSubscriberListener(this);
        SampleIngest i = ingest;
        ingest = null;
        if (i != null) {
            i.close();
            LOG.info("annotator stopped: {}", i.counters());
        }
    }

    @Override
    public void onMessageArrived(KuraMessage message) {
        SampleIngest i = ingest;
        if (i != null) {
            i.offer(message);
        }
    }
}

package io.edgetune.wires.internal;

import io.edgetune.api.config.ConfigValues;
import io.edgetune.api.detect.Detection;
import io.edgetune.api.detect.DetectionListener;
import io.edgetune.api.detect.Detections;
import io.edgetune.api.frame.Frame;
import io.edgetune.api.track.TrackEvent;
import io.edgetune.api.track.TrackListener;
import io.edgetune.api.track.TrackedFrame;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.kura.configuration.ConfigurableComponent;
import org.eclipse.kura.wire.WireComponent;
import org.eclipse.kura.wire.WireEmitter;
import org.eclipse.kura.wire.WireHelperService;
import org.eclipse.kura.wire.WireSupport;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.wireadmin.Producer;
import org.osgi.service.wireadmin.Wire;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kura Wires emitter of EdgeTune's detections: one {@link org.eclipse.kura.wire.WireRecord}
 * per detections message (one analysed frame of a camera), built by
 * {@link DetectionRecords}. Kura's Wire Composer creates instances of the
 * factory PID; each listens on the detector's whiteboard and emits on a
 * thread of its own, so a slow wire graph costs dropped records, never
 * detector time.
 *
 * <p>Needs Kura's {@link WireHelperService}; registers as
 * {@link WireEmitter} (with {@link WireComponent} and {@link Producer}, as
 * Kura's wire components do), {@link ConfigurableComponent} and
 * {@link DetectionListener}.
 */
@Designate(ocd = DetectionEmitter.Config.class, factory = true)
@Component(name = DetectionEmitter.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
        service = {WireEmitter.class, WireComponent.class, Producer.class, ConfigurableComponent.class,
                DetectionListener.class, TrackListener.class},
        // like Kura's own wire components: configured in the Wire Composer, not in the services list
        property = "kura.ui.service.hide:Boolean=true")
public class DetectionEmitter implements WireEmitter, ConfigurableComponent, DetectionListener, TrackListener {

    public static final String FACTORY_PID = "io.edgetune.wires.DetectionEmitter";
    private static final Logger LOG = LoggerFactory.getLogger(DetectionEmitter.class);

    @ObjectClassDefinition(id = FACTORY_PID, name = "EdgeTune detections",
            description = "Emits one wire record per detections message of a camera: camera.id, frame.sequence, "
                    + "frame.timestamp, model.version, count, top.label, top.score and the boxes as JSON (detections).")
    public @interface Config {
        @AttributeDefinition(name = "Camera id", required = false,
                description = "Only this camera's detections; empty for every camera.")
        String camera_id() default "";

        @AttributeDefinition(name = "Only frames with detections",
                description = "When true, frames without a box (after the score filter) emit nothing.")
        boolean only_with_detections() default true;

        @AttributeDefinition(name = "Minimum score", min = "0", max = "1",
                description = "Boxes scoring below this are left out of the record (0..1).")
        float min_score() default 0f;

        @AttributeDefinition(name = "Emit tracker events",
                description = "Also emit one record per event of the tracker (start, enter, leave, stationary, end): "
                        + "camera.id, event.type, track.id, class.id, label, score, zone, event.timestamp, duration.ms.")
        boolean emit_events() default false;

        @AttributeDefinition(name = "Queue size", min = "1",
                description = "Records waiting for the wire graph; more are dropped and counted.")
        int queue_size() default 16;
    }

    /** Which messages and boxes an instance emits. */
    record Selection(String cameraId, boolean onlyWithDetections, float minScore, boolean events) {

        static Selection from(Config c) {
            String cam = c.camera_id() == null ? "" : c.camera_id().trim();
            ConfigValues.range("min.score", c.min_score(), 0, 1);
            return new Selection(cam, c.only_with_detections(), c.min_score(), c.emit_events());
        }

        /** Whether an event of the tracker is emitted. */
        boolean emits(TrackEvent e) {
            return events && (cameraId.isEmpty() || cameraId.equals(e.cameraId()));
        }

        /** The boxes to emit for this message, or null when it emits nothing. */
        List<Detection> boxes(Detections d) {
            if (!cameraId.isEmpty() && !cameraId.equals(d.cameraId())) {
                return null;
            }
            List<Detection> kept = new ArrayList<>(d.detections().size());
            for (Detection x : d.detections()) {
                if (x.score() >= minScore) {
                    kept.add(x);
                }
            }
            return kept.isEmpty() && onlyWithDetections ? null : kept;
        }
    }

    private record Pending(Detections message, List<Detection> boxes) {
    }

    /** Kura's wire runtime (mandatory, static: as Kura's own wire components bind it). */
    @Reference
    WireHelperService wireHelperService;

    private volatile WireSupport wireSupport;
    private volatile Selection selection;
    /** Holds detections ({@link Pending}) and tracker events ({@link TrackEvent}), in their order. */
    private volatile EmitQueue<Object> queue;
    private String name;

    @Activate
    void activate(ComponentContext context, Config config) {
        // a rejected configuration throws here, before the wire support or the queue exist
        Selection.from(config);
        queueSize(config);
        @SuppressWarnings("unchecked")
        ServiceReference<WireComponent> self = (ServiceReference<WireComponent>) context.getServiceReference();
        // not configuration (no attribute of Config): the instance's own PID, only to name its thread
        Object pid = context.getProperties().get("kura.service.pid");
        name = "edgetune-wires-" + (pid != null ? pid : context.getProperties().get("service.pid"));
        wireSupport = wireHelperService.newWireSupport(this, self);
        updated(config);
        LOG.info("{} emits detections of {}", name, selection.cameraId().isEmpty() ? "every camera" : selection.cameraId());
    }

    /** Kura applies a new configuration here, without deactivating: the wires stay connected. */
    @Modified
    synchronized void updated(Config config) {
        // both checked before either is applied: a rejected change leaves the emitter as it was
        Selection next = Selection.from(config);
        int size = queueSize(config);
        selection = next;
        EmitQueue<Object> old = queue;
        if (old == null || old.capacity() != size) {
            EmitQueue<Object> started = new EmitQueue<>(size, this::emit, name);
            started.start();
            queue = started;
            if (old != null) {
                old.stop(1000);
            }
        }
    }

    private static int queueSize(Config c) {
        return ConfigValues.atLeast("queue.size", c.queue_size(), 1);
    }

    @Deactivate
    synchronized void deactivate() {
        EmitQueue<Object> q = queue;
        queue = null;
        if (q != null) {
            q.stop(2000);
            LOG.info("{} stopped: {} records emitted, {} dropped, {} failed", name, q.delivered(), q.dropped(), q.failed());
        }
    }

    @Override
    public void onDetections(Detections detections, Frame frame) {
        EmitQueue<Object> q = queue;
        Selection s = selection;
        if (q == null || s == null || detections == null) {
            return;
        }
        List<Detection> boxes = s.boxes(detections);
        if (boxes != null) {
            q.offer(new Pending(detections, boxes));
        }
    }

    @Override
    public void onTracks(TrackedFrame tracked, Frame frame) {
        // the records are per detections message and per event; the tracked frames add nothing here
    }

    @Override
    public void onEvent(TrackEvent event) {
        EmitQueue<Object> q = queue;
        Selection s = selection;
        if (q != null && s != null && event != null && s.emits(event)) {
            q.offer(event);
        }
    }

    private void emit(Object item) {
        WireSupport ws = wireSupport;
        if (ws == null) {
            return;
        }
        if (item instanceof Pending p) {
            ws.emit(List.of(DetectionRecords.record(p.message(), p.boxes())));
        } else if (item instanceof TrackEvent e) {
            ws.emit(List.of(DetectionRecords.event(e)));
        }
    }

    @Override
    public void consumersConnected(Wire[] wires) {
        WireSupport ws = wireSupport;
        if (ws != null) {
            ws.consumersConnected(wires);
        }
    }

    @Override
    public Object polled(Wire wire) {
        WireSupport ws = wireSupport;
        return ws == null ? null : ws.polled(wire);
    }
}

package io.edgetune.motion.internal;

import io.edgetune.api.config.ConfigValues;
import io.edgetune.motion.engine.MaskPolygon;
import io.edgetune.motion.engine.MotionEngine;
import io.edgetune.motion.engine.MotionSettings;
import io.edgetune.api.frame.Frame;
import io.edgetune.api.frame.FrameListener;
import io.edgetune.api.motion.MotionListener;
import io.edgetune.api.motion.MotionResult;
import java.io.File;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.kura.configuration.ConfigurableComponent;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The motion stage of one camera. Its camera.id configuration property is
 * also a service property, so the camera delivers only its own frames. A
 * changed configuration reactivates the component (the background is
 * learnt again).
 */
@Designate(ocd = MotionConfig.class, factory = true)
@Component(name = MotionDetectorComponent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
        service = {FrameListener.class, CameraMotion.class, ConfigurableComponent.class})
public class MotionDetectorComponent implements FrameListener, CameraMotion, ConfigurableComponent {

    public static final String PID = "io.edgetune.motion.MotionDetector";

    private static final Logger LOG = LoggerFactory.getLogger(MotionDetectorComponent.class);

    private record Subscriber(MotionListener listener, String cameraFilter) {
    }

    private final List<Subscriber> listeners = new CopyOnWriteArrayList<>();
    private volatile MotionWorker worker;
    private volatile String cameraId;

    @Reference(service = MotionListener.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addMotionListener(MotionListener listener, Map<String, Object> properties) {
        Object filter = properties.get(FrameListener.CAMERA_ID);
        if (filter instanceof String[] a) {
            filter = a.length > 0 ? a[0] : null;
        }
        String f = filter == null ? null : filter.toString().trim();
        listeners.add(new Subscriber(listener, f == null || f.isEmpty() ? null : f));
    }

    void removeMotionListener(MotionListener listener) {
        listeners.removeIf(s -> s.listener() == listener);
    }

    /** Maps the console configuration onto engine settings; the message of the exception names the bad property. */
    static MotionSettings settings(MotionConfig c) {
        MotionSettings.Model model;
        try {
            model = MotionSettings.Model.valueOf(c.model().trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model must be MOG2 or RUNNING_AVERAGE, was '" + c.model() + "'");
        }
        return new MotionSettings(model, c.motion_height(), c.blur_size(), c.mog2_history(), c.mog2_var_threshold(),
                c.average_alpha(), c.delta_threshold(), c.morph_size(), c.warmup_frames(), c.min_area(),
                c.lighting_change(), c.global_change(), c.relearn_frames(), c.crop_aspect(), c.crop_min_size(),
                c.crop_padding(), c.regions_max(), c.fullframe_fraction(), MaskPolygon.parse(c.masks()),
                c.stabilize(), c.shake_max());
    }

    @Activate
    void activate(MotionConfig config) {
        String id;
        MotionSettings s;
        try {
            id = ConfigValues.required("camera.id", config.camera_id());
            s = settings(config);
            ConfigValues.range("queue.size", config.queue_size(), 1, 4);
        } catch (IllegalArgumentException e) {
            // keep the component so the console still shows it; it ignores frames until fixed
            LOG.error("motion detector configuration rejected: {}", e.getMessage());
            return;
        }
        MotionWorker.Debug debug = config.debug_enabled()
                ? new MotionWorker.Debug(new File(config.debug_dir()), config.debug_every_frames(), config.debug_max_files())
                : null;
        cameraId = id;
        worker = new MotionWorker(id, new MotionEngine(s), config.queue_size(), this::publish, debug);
        LOG.info("motion detector for camera {} started ({}, {} px high{})", id, s.model(), s.processHeight(),
                debug != null ? ", debug snapshots in " + debug.dir() : "");
    }

    @Deactivate
    void deactivate() {
        MotionWorker w = worker;
        worker = null;
        if (w != null) {
            w.close();
        }
    }

    @Override
    public void onFrame(Frame frame) {
        MotionWorker w = worker;
        // the service filter already selects the camera; this guards against a listener registered without it
        if (w != null && w.cameraId().equals(frame.cameraId())) {
            w.submit(frame);
        }
    }

    private void publish(MotionResult result) {
        String id = result.frame().cameraId();
        for (Subscriber s : listeners) {
            if (s.cameraFilter() != null && !s.cameraFilter().equals(id)) {
                continue;
            }
            try {
                s.listener().onMotion(result);
            } catch (RuntimeException e) {
                LOG.warn("motion listener {} failed on {}", s.listener().getClass().getName(), result.frame(), e);
            }
        }
    }

    @Override
    public String cameraId() {
        return cameraId;
    }

    @Override
    public void reset() {
        MotionWorker w = worker;
        if (w != null) {
            w.requestReset();
        }
    }

    @Override
    public double skipRatio() {
        MotionWorker w = worker;
        return w == null ? -1 : w.skipRatio();
    }

    /** Frames dropped because the motion queue was full. */
    public long droppedFrames() {
        MotionWorker w = worker;
        return w == null ? 0 : w.dropped();
    }
}

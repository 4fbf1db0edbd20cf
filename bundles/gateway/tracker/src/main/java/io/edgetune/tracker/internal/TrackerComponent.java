package io.edgetune.tracker.internal;

import io.edgetune.api.detect.DetectionListener;
import io.edgetune.api.detect.Detections;
import io.edgetune.api.frame.CameraService;
import io.edgetune.api.frame.CameraStatus;
import io.edgetune.api.frame.Frame;
import io.edgetune.api.motion.MotionListener;
import io.edgetune.api.motion.MotionResult;
import io.edgetune.api.track.TrackEvent;
import io.edgetune.api.track.TrackListener;
import io.edgetune.api.track.TrackedFrame;
import io.edgetune.api.track.TrackerService;
import io.edgetune.api.track.Zone;
import io.edgetune.tracker.engine.CameraTracker;
import io.edgetune.tracker.engine.JpegCrops;
import io.edgetune.tracker.engine.TrackerSettings;
import io.edgetune.tracker.engine.Zones;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
 * The tracker stage: listens to the detector (and to the motion stage, for the
 * time that passes while nothing moves), keeps one {@link CameraTracker} per
 * camera, and hands every tracked frame and event to the {@link TrackListener}
 * services, on the detector's thread (the tracker costs little per frame; see
 * docs/evaluation.md). A configuration with a bad zone is refused: the
 * component does not activate, and the log and the web console's component
 * page say which zone and why.
 */
@Designate(ocd = TrackerComponent.Config.class)
@Component(name = TrackerComponent.PID, configurationPid = TrackerComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
        service = {DetectionListener.class, MotionListener.class, TrackerService.class, ConfigurableComponent.class})
public class TrackerComponent implements DetectionListener, MotionListener, TrackerService, ConfigurableComponent {

    public static final String PID = "io.edgetune.tracker.Tracker";
    private static final Logger LOG = LoggerFactory.getLogger(TrackerComponent.class);
    /** Events kept per camera for recentEvents (snapshots dropped from all but the newest few). */
    static final int EVENT_HISTORY = 200;

    @ObjectClassDefinition(id = PID, name = "EdgeTune tracker",
            description = "Turns detections into objects with stable ids, zones with enter/leave and counts, and events "
                    + "(start, enter, leave, stationary, end with the best picture).")
    public @interface Config {
        @AttributeDefinition(name = "Zones", required = false, cardinality = 50,
                description = "One zone per value: camera:name=x,y;x,y;x,y (full-frame pixels from the top left, at least "
                        + "three points in drawing order; the polygon closes itself and must not cross itself). Several "
                        + "zones may share one value, separated by '|'. An object is in a zone when the bottom centre of "
                        + "its box is. Example: plaza:entrance=0,300;380,300;380,576;0,576")
        String[] zones() default {};

        @AttributeDefinition(name = "Labels", required = false, description = "Comma-separated labels to track, e.g. Person,Car; empty tracks every label the detector reports.")
        String labels() default "";

        @AttributeDefinition(name = "Confident score", description = "Detections at or above this score are matched first and may start tracks.", min = "0", max = "1")
        float high_score() default 0.5f;

        @AttributeDefinition(name = "Unsure score", description = "Detections from this score up to the confident score only extend tracks (the detector's score threshold must be below the confident score for this to matter).", min = "0", max = "1")
        float low_score() default 0.3f;

        @AttributeDefinition(name = "Least IoU for a match", min = "0.01", max = "1")
        float match_iou() default 0.2f;

        @AttributeDefinition(name = "Hits to confirm", description = "Matched frames before an object is reported (START).", min = "1", max = "100")
        int confirm_hits() default 3;

        @AttributeDefinition(name = "Misses to lost", description = "Frames in a row the detector looked at the object and did not find it.", min = "1")
        int lost_after_misses() default 2;

        @AttributeDefinition(name = "End after lost (s)", description = "A lost object ends this long after it was last seen.", min = "0")
        double end_after_s() default 3.0;

        @AttributeDefinition(name = "Stationary after (s)", description = "An object that stays within 'stationary move' this long is stationary.", min = "0")
        double stationary_after_s() default 10.0;

        @AttributeDefinition(name = "Stationary move", description = "Movement, in box heights, that counts as moving.", min = "0", max = "10")
        float stationary_move() default 0.15f;

        @AttributeDefinition(name = "Stationary end after (s)", description = "A stationary object the detector no longer finds ends this long after it was last seen.", min = "0")
        double stationary_end_after_s() default 60.0;

        @AttributeDefinition(name = "Coverage", description = "Share of an object's box the motion regions must cover for a missing detection to count as a miss.", min = "0", max = "1")
        float coverage() default 0.5f;

        @AttributeDefinition(name = "Zone frames", description = "Frames in a row on the other side of a zone edge before enter or leave.", min = "1", max = "100")
        int zone_frames() default 2;

        @AttributeDefinition(name = "Snapshot size (px)", description = "Longest side of an object's best picture.", min = "16", max = "4096")
        int snapshot_max_side() default 160;

        @AttributeDefinition(name = "Snapshot cap (bytes)", description = "Largest JPEG kept as an object's best picture.", min = "1024")
        int snapshot_max_bytes() default 16_384;

        @AttributeDefinition(name = "Snapshot JPEG quality (%)", min = "10", max = "100")
        int snapshot_quality() default 80;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<TrackListener> listeners = List.of();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<CameraService> cameras = List.of();

    private final Map<String, Cam> byCamera = new ConcurrentHashMap<>();
    private volatile TrackerSettings settings;
    private volatile Map<String, List<Zone>> zones = Map.of();
    private volatile JpegCrops crops;
    private volatile boolean running;

    /** The settings of a configuration, or an IllegalArgumentException naming the bad value. */
    static TrackerSettings settings(Config c) {
        return new TrackerSettings(c.high_score(), c.low_score(), c.match_iou(), c.confirm_hits(), c.lost_after_misses(),
                millis("end.after.s", c.end_after_s()), millis("stationary.after.s", c.stationary_after_s()),
                c.stationary_move(), millis("stationary.end.after.s", c.stationary_end_after_s()),
                c.coverage(), c.zone_frames(),
                c.snapshot_max_side(), c.snapshot_max_bytes(), c.snapshot_quality(),
                java.util.Set.copyOf(io.edgetune.api.config.ConfigValues.list(c.labels())));
    }

    private static long millis(String key, double seconds) {
        if (!(seconds >= 0) || seconds > 1e7) {
            throw new IllegalArgumentException(key + " must be 0..10000000, not " + seconds);
        }
        return Math.round(seconds * 1000);
    }

    /** Zones of a configuration, checked against the frame sizes known now (camera id to {width, height}). */
    static Map<String, List<Zone>> zones(Config c, Map<String, int[]> frameSizes) {
        Map<String, List<Zone>> z = Zones.parse(c.zones());
        for (Map.Entry<String, List<Zone>> e : z.entrySet()) {
            int[] size = frameSizes.get(e.getKey());
            if (size != null) {
                for (Zone zone : e.getValue()) {
                    Zones.checkInside(zone, size[0], size[1]);
                }
            }
        }
        return z;
    }

    @Activate
    void activate(Config config) {
        try {
            TrackerSettings s = settings(config);
            Map<String, List<Zone>> z = zones(config, knownFrameSizes());
            settings = s;
            zones = z;
            crops = JpegCrops.of(s);
        } catch (IllegalArgumentException e) {
            LOG.error("tracker configuration refused: {}", e.getMessage());
            throw e;
        }
        running = true;
        int n = zones.values().stream().mapToInt(List::size).sum();
        LOG.info("tracker started{}", n == 0 ? " (no zones)" : " with " + n + " zone" + (n == 1 ? "" : "s") + " on " + zones.keySet());
    }

    /** For tests and tools that run the component without SCR. */
    void setListeners(List<TrackListener> ls) {
        listeners = List.copyOf(ls);
    }

    @Deactivate
    void deactivate() {
        running = false;
        for (Cam c : byCamera.values()) {
            synchronized (c) {
                c.tracker.endAll(e -> deliver(c, e));
            }
        }
        byCamera.clear();
    }

    private Map<String, int[]> knownFrameSizes() {
        Map<String, int[]> out = new java.util.HashMap<>();
        List<CameraService> cams = cameras;
        if (cams != null) {
            for (CameraService cs : cams) {
                try {
                    CameraStatus st = cs.status();
                    if (st != null && st.width() > 0 && st.height() > 0) {
                        out.put(cs.cameraId(), new int[] {st.width(), st.height()});
                    }
                } catch (RuntimeException e) {
                    // a camera that cannot say its size is checked on its first frame
                }
            }
        }
        return out;
    }

    @Override
    public void onDetections(Detections detections, Frame frame) {
        if (!running) {
            return;
        }
        Cam c = camera(detections.cameraId(), frame);
        TrackedFrame tf;
        synchronized (c) {
            tf = c.tracker.update(detections, frame, e -> deliver(c, e));
            c.current = tf;
        }
        for (TrackListener l : listeners) {
            try {
                l.onTracks(tf, frame);
            } catch (RuntimeException e) {
                LOG.warn("track listener {} failed: {}", l.getClass().getName(), e.toString());
            }
        }
    }

    @Override
    public void onMotion(MotionResult result) {
        if (!running || result.needsInference()) {
            return;
        }
        Cam c = byCamera.get(result.frame().cameraId());
        if (c != null) {
            synchronized (c) {
                c.tracker.idle(result.frame().timestampMillis(), e -> deliver(c, e));
            }
        }
    }

    private Cam camera(String cameraId, Frame frame) {
        return byCamera.computeIfAbsent(cameraId, id -> {
            List<Zone> zs = zones.getOrDefault(id, List.of());
            if (frame != null && !zs.isEmpty()) {
                try {
                    for (Zone z : zs) {
                        Zones.checkInside(z, frame.width(), frame.height());
                    }
                } catch (IllegalArgumentException e) {
                    LOG.error("zones of camera {} refused, tracking it without zones: {}", id, e.getMessage());
                    zs = List.of();
                }
            }
            return new Cam(new CameraTracker(id, settings, zs, crops));
        });
    }

    /** Called with the camera's lock held. */
    private void deliver(Cam c, TrackEvent e) {
        c.events.addFirst(e);
        if (c.events.size() > EVENT_HISTORY) {
            c.events.removeLast();
        }
        for (TrackListener l : listeners) {
            try {
                l.onEvent(e);
            } catch (RuntimeException ex) {
                LOG.warn("track listener {} failed on an event: {}", l.getClass().getName(), ex.toString());
            }
        }
    }

    // ---- TrackerService

    @Override
    public TrackedFrame current(String cameraId) {
        Cam c = byCamera.get(cameraId);
        return c == null ? null : c.current;
    }

    @Override
    public List<Zone> zones(String cameraId) {
        Cam c = byCamera.get(cameraId);
        return c != null ? c.tracker.zones() : zones.getOrDefault(cameraId, List.of());
    }

    @Override
    public List<TrackEvent> recentEvents(String cameraId, int max) {
        Cam c = byCamera.get(cameraId);
        if (c == null || max <= 0) {
            return List.of();
        }
        synchronized (c) {
            List<TrackEvent> out = new ArrayList<>(Math.min(max, c.events.size()));
            for (Iterator<TrackEvent> it = c.events.iterator(); it.hasNext() && out.size() < max; ) {
                out.add(it.next());
            }
            return out;
        }
    }

    private static final class Cam {
        final CameraTracker tracker;
        final Deque<TrackEvent> events = new ArrayDeque<>();
        volatile TrackedFrame current;

        Cam(CameraTracker tracker) {
            this.tracker = tracker;
        }
    }
}

package io.edgetune.liveview.internal;

import io.edgetune.api.detect.DetectionListener;
import io.edgetune.api.detect.Detections;
import io.edgetune.api.frame.Frame;
import io.edgetune.api.frame.FrameListener;
import io.edgetune.api.track.TrackEvent;
import io.edgetune.api.track.TrackListener;
import io.edgetune.api.track.TrackedFrame;
import io.edgetune.api.track.TrackerService;
import java.util.Dictionary;
import java.util.Hashtable;
import javax.servlet.Servlet;
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
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live view: listens to frames, detections, tracks and events (whiteboard), and registers the page
 * with the OSGi HTTP Whiteboard. A configuration change restarts the component (no modified method), so
 * settings, feed and servlet always belong together. A bad configuration (a non-loopback bind address
 * without a login, for one) fails activation with a message that says what to set; nothing is served then.
 */
@Designate(ocd = LiveViewConfig.class)
@Component(name = LiveViewComponent.PID, immediate = true, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {TrackListener.class, DetectionListener.class, FrameListener.class})
public class LiveViewComponent implements TrackListener, DetectionListener, FrameListener {

    static final String PID = "io.edgetune.liveview.LiveView";
    private static final Logger LOG = LoggerFactory.getLogger(LiveViewComponent.class);

    // optional and dynamic: without the tracker the page shows the detector's boxes and no zones
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile TrackerService tracker;

    private volatile LiveFeed feed;
    private ServiceRegistration<Servlet> registration;

    @Activate
    void activate(BundleContext ctx, LiveViewConfig config) {
        LiveViewSettings s;
        try {
            s = LiveViewSettings.from(config);
        } catch (IllegalArgumentException e) {
            LOG.error("live view not started: {}", e.getMessage());
            throw e;
        }
        if (!s.enabled()) {
            LOG.info("live view disabled (enabled=false)");
            return;
        }
        LiveFeed f = new LiveFeed(s);
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("osgi.http.whiteboard.servlet.pattern", s.prefix() + "/*");
        props.put("osgi.http.whiteboard.servlet.name", "edgetune-liveview");
        if (!s.whiteboardTarget().isEmpty()) {
            props.put("osgi.http.whiteboard.target", s.whiteboardTarget());
        }
        registration = ctx.registerService(Servlet.class, new LiveViewServlet(s, f, () -> tracker), props);
        feed = f;
        LOG.info("live view at {}/ on {}{} (one picture per camera every {} ms at most, while watched)", s.prefix(),
                s.bind().isAnyLocalAddress() ? "any address" : s.bind().getHostAddress(),
                s.loginRequired() ? ", login required" : "", s.refreshMillis());
    }

    @Deactivate
    void deactivate() {
        LiveFeed f = feed;
        feed = null;
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping and the framework took it down first
            }
            registration = null;
        }
        if (f != null) {
            f.close();
        }
    }

    @Override
    public void onTracks(TrackedFrame tracked, Frame frame) {
        LiveFeed f = feed;
        if (f != null) {
            f.onTracks(tracked, frame);
        }
    }

    @Override
    public void onEvent(TrackEvent event) {
        LiveFeed f = feed;
        if (f != null) {
            f.onEvent(event);
        }
    }

    @Override
    public void onDetections(Detections detections, Frame frame) {
        LiveFeed f = feed;
        if (f != null) {
            f.onDetections(detections, frame);
        }
    }

    @Override
    public void onFrame(Frame frame) {
        LiveFeed f = feed;
        if (f != null) {
            f.onFrame(frame);
        }
    }
}

package io.edgetune.tracker.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.edgetune.api.config.TypedConfig;
import io.edgetune.api.detect.Detections;
import io.edgetune.api.frame.Frame;
import io.edgetune.api.track.TrackEvent;
import io.edgetune.api.track.TrackListener;
import io.edgetune.api.track.TrackedFrame;
import io.edgetune.tracker.SampleVideo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.Test;

public class TrackerComponentTest {

    @Test
    public void aBadZoneRefusesTheConfigurationWithItsReason() {
        for (String[] bad : List.of(new String[] {"plaza:loading="}, new String[] {"plaza:bow=0,0;100,100;100,0;0,100"},
                new String[] {"plaza:two=1,1;5,5"})) {
            TrackerComponent c = new TrackerComponent();
            try {
                c.activate(TypedConfig.of(TrackerComponent.Config.class, Map.of("zones", bad)));
                fail("activated with " + bad[0]);
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage(), e.getMessage().startsWith("zone plaza:"));
            }
        }
        try {
            TrackerComponent.settings(TypedConfig.of(TrackerComponent.Config.class, Map.of("high.score", "1.5")));
            fail();
        } catch (IllegalArgumentException e) {
            assertEquals("high.score must be 0..1, not 1.5", e.getMessage());
        }
    }

    @Test
    public void aZoneOutsideAKnownFrameIsRefusedAndOnFirstFrameTheCameraIsTrackedWithoutIt() throws Exception {
        TrackerComponent.Config cfg = TypedConfig.of(TrackerComponent.Config.class,
                Map.of("zones", new String[] {"plaza:far=700,500;900,500;900,576"}));
        try {
            TrackerComponent.zones(cfg, Map.of("plaza", new int[] {768, 576}));
            fail();
        } catch (IllegalArgumentException e) {
            assertEquals("zone plaza:far: point 900,500 is outside the 768x576 frame of camera plaza", e.getMessage());
        }
        // the frame size is not known at activation: checked on the first frame
        TrackerComponent c = new TrackerComponent();
        c.activate(cfg);
        assertEquals(1, c.zones("plaza").size());
        SampleVideo.replay(1, c::onDetections);
        assertTrue(c.zones("plaza").isEmpty());
        assertTrue(c.current("plaza").zoneCounts().isEmpty());
        c.deactivate();
    }

    @Test
    public void listenersGetEveryFrameAndEventAndTheServiceKeepsTheNewestFirst() throws Exception {
        TrackerComponent c = new TrackerComponent();
        c.activate(TypedConfig.of(TrackerComponent.Config.class,
                Map.of("zones", new String[] {"plaza:near=0,330;767,330;767,575;0,575"})));
        List<TrackedFrame> frames = new ArrayList<>();
        List<TrackEvent> events = new ArrayList<>();
        c.setListeners(List.of(new TrackListener() {
            @Override
            public void onTracks(TrackedFrame tracked, Frame frame) {
                assertEquals(tracked.frameSequence(), frame.sequence());
                frames.add(tracked);
            }

            @Override
            public void onEvent(TrackEvent event) {
                events.add(event);
            }
        }));
        assertNull(c.current("plaza"));
        List<Detections> dets = SampleVideo.detections(100);
        SampleVideo.replay(100, c::onDetections);
        assertEquals(100, frames.size());
        assertEquals(frames.get(99), c.current("plaza"));
        assertTrue(events.stream().anyMatch(e -> e.type() == TrackEvent.Type.START));
        assertTrue(events.stream().anyMatch(e -> e.type() == TrackEvent.Type.ENTER));
        List<TrackEvent> recent = c.recentEvents("plaza", 5);
        assertEquals(Math.min(5, events.size()), recent.size());
        assertEquals(events.get(events.size() - 1), recent.get(0));
        assertEquals(dets.size(), frames.size());
        int before = events.size();
        c.deactivate();
        // stopping ends every confirmed object: the consumers see END for each START
        long starts = events.stream().filter(e -> e.type() == TrackEvent.Type.START).count();
        long ends = events.stream().filter(e -> e.type() == TrackEvent.Type.END).count();
        assertTrue(events.size() > before);
        assertEquals(starts, ends);
    }
}

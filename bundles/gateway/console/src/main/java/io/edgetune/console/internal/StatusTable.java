package io.edgetune.console.internal;

import io.edgetune.api.detect.Detection;
import io.edgetune.api.detect.Detections;
import io.edgetune.api.frame.CameraStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counts detections per camera and label and renders the operator's status lines. */
final class StatusTable {

    /** Per-camera counters; updated on the detector thread, read by the status thread. */
    static final class CameraCounts {
        final LongAdder frames = new LongAdder();
        final LongAdder objects = new LongAdder();
        final Map<String, LongAdder> byLabel = new ConcurrentHashMap<>();
        volatile Detections last;
    }

    private final Map<String, CameraCounts> cameras = new ConcurrentHashMap<>();

    void record(Detections d) {
        CameraCounts c = cameras.computeIfAbsent(d.cameraId(), k -> new CameraCounts());
        c.frames.increment();
        List<Detection> list = d.detections();
        c.objects.add(list.size());
        for (int i = 0; i < list.size(); i++) {
            c.byLabel.computeIfAbsent(list.get(i).label(), k -> new LongAdder()).increment();
        }
        c.last = d;
    }

    CameraCounts counts(String cameraId) {
        return cameras.get(cameraId);
    }

    /** One line per camera: capture health, motion gating, detections so far. */
    List<String> lines(List<CameraStatus> statuses, java.util.function.ToDoubleFunction<String> skipRatio) {
        List<String> out = new ArrayList<>();
        Map<String, CameraStatus> byId = new TreeMap<>();
        for (CameraStatus s : statuses) {
            byId.put(s.cameraId(), s);
        }
        for (String id : cameras.keySet()) {
            byId.putIfAbsent(id, null);
        }
        for (Map.Entry<String, CameraStatus> e : byId.entrySet()) {
            out.add(line(e.getKey(), e.getValue(), skipRatio.applyAsDouble(e.getKey())));
        }
        return out;
    }

    String line(String cameraId, CameraStatus s, double skip) {
        StringBuilder b = new StringBuilder(160);
        b.append(cameraId).append(": ");
        if (s == null) {
            b.append("no camera service");
        } else {
            b.append(s.state());
            b.append(String.format(Locale.ROOT, " %.1f fps, %d grabbed, %d dropped", s.fps(), s.framesGrabbed(), s.framesDropped()));
            if (s.reconnects() > 0) {
                b.append(", ").append(s.reconnects()).append(" reconnects");
            }
            if (s.message() != null && !s.message().isEmpty() && s.state() != CameraStatus.State.RUNNING) {
                b.append(" (").append(s.message()).append(')');
            }
        }
        if (skip >= 0) {
            b.append(String.format(Locale.ROOT, "; motion: %.0f%% of frames skip inference", skip * 100));
        }
        CameraCounts c = cameras.get(cameraId);
        if (c != null) {
            b.append("; detections: ").append(c.objects.sum()).append(" in ").append(c.frames.sum()).append(" frames");
            Map<String, Long> labels = new TreeMap<>();
            c.byLabel.forEach((k, v) -> labels.put(k, v.sum()));
            if (!labels.isEmpty()) {
                b.append(' ').append(labels);
            }
            Detections last = c.last;
            if (last != null) {
                b.append(String.format(Locale.ROOT, ", last %d objects, %.1f ms, model %s (%s)", last.detections().size(),
                        last.totalNanos() / 1e6, last.modelVersion(), last.backend()));
            }
        }
        return b.toString();
    }
}

package io.edgetune.api.detect;

import io.edgetune.api.frame.Frame;
import io.edgetune.api.motion.Region;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/** The shared detector (one engine for all cameras: there is one Edge TPU). */
@ProviderType
public interface DetectorService {

    /**
     * Runs the active model on the given regions of the frame (the whole frame
     * when regions is empty) and returns detections in frame coordinates.
     * Blocks the caller until done; safe to call from several threads.
     */
    Detections detect(Frame frame, List<Region> regions) throws DetectionException;

    DetectorStatus status();
}

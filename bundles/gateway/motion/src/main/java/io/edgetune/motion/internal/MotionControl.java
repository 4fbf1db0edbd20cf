package io.edgetune.motion.internal;

import io.edgetune.api.motion.MotionService;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/** One MotionService for all cameras: finds the detector of a camera by its id. */
@Component(service = MotionService.class)
public class MotionControl implements MotionService {

    private final List<CameraMotion> detectors = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addDetector(CameraMotion detector) {
        detectors.add(detector);
    }

    void removeDetector(CameraMotion detector) {
        detectors.remove(detector);
    }

    @Override
    public boolean reset(String cameraId) {
        boolean found = false;
        for (CameraMotion d : detectors) {
            if (d.cameraId() != null && d.cameraId().equals(cameraId)) {
                d.reset();
                found = true;
            }
        }
        return found;
    }

    @Override
    public double skipRatio(String cameraId) {
        for (CameraMotion d : detectors) {
            if (d.cameraId() != null && d.cameraId().equals(cameraId)) {
                return d.skipRatio();
            }
        }
        return -1;
    }
}

package io.edgetune.console.internal;

import static org.junit.Assert.assertEquals;

import io.edgetune.api.detect.DetectorStatus;
import java.util.Map;
import org.junit.Test;

/** The detector's status line names the cameras' own models and the memory they hold. */
public class CameraModelsLineTest {

    @Test
    public void namesEachCamerasOwnModelAndTheMemory() {
        DetectorStatus one = new DetectorStatus("tflite-javacpp", "cpu", "", "base-oidv4", 0, 10, 0, 40.0);
        assertEquals("every camera on the default: nothing added", "", ConsoleComponent.cameraModels(one));
        DetectorStatus per = new DetectorStatus("tflite-javacpp", "cpu", "", "base-oidv4", 0, 10, 0, 40.0,
                Map.of("lot", "lot-v3", "front", "front-v2"), 3, 26_922_789L);
        assertEquals(" (default), camera models front=front-v2, lot=lot-v3 (3 loaded, 26.9 MB)", ConsoleComponent.cameraModels(per));
    }
}

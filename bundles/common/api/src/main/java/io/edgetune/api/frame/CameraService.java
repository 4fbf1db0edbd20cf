package io.edgetune.api.frame;

import org.osgi.annotation.versioning.ProviderType;

/** One running camera; registered with service property {@code camera.id}. */
@ProviderType
public interface CameraService {

    String cameraId();

    CameraStatus status();
}

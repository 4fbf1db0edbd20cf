package io.edgetune.api.upload;

import org.osgi.annotation.versioning.ProviderType;

/** Offered by the uploader: sends frames to the cloud outside the regular sampling policy. */
@ProviderType
public interface SamplingService {

    /**
     * Uploads the next frame of the camera (of every camera when cameraId is
     * null) as a sample, whatever the sampling policy says.
     *
     * @param reason recorded with the sample, e.g. "request"
     * @return the number of cameras that will upload a frame
     * @throws IllegalArgumentException when no camera has this id
     */
    int sampleNow(String cameraId, String reason);
}

package io.edgetune.api.annotate;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The annotator's datasets (one per gateway and camera), the review verdicts a
 * person gives on their frames, and the retraining rounds.
 */
@ProviderType
public interface AnnotatorService {

    /** One summary per camera dataset, ordered by gateway then camera. */
    List<DatasetSummary> datasets();

    /** Frames of one dataset, newest first, {@code offset}/{@code limit} paged. Empty when the dataset is unknown. */
    List<ReviewItem> items(String gateway, String camera, int offset, int limit);

    /** The JPEG of one frame as uploaded, empty when unknown. */
    Optional<byte[]> image(String gateway, String camera, long imageId) throws IOException;

    /**
     * Records a person's verdict on a frame. Rejected frames leave the training
     * and validation sets at the next export or retraining round.
     *
     * @throws IllegalArgumentException for an unknown dataset or image
     */
    void review(String gateway, String camera, long imageId, Verdict verdict) throws IOException;

    /** Starts a retraining round for the camera now (asynchronously); false when one is already running. */
    boolean requestTraining(String gateway, String camera);

    /** The running or last retraining round. */
    TrainingStatus training();
}
